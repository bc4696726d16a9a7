import ArgumentParser

/// The exit statuses CI can rely on.
enum ExitStatus {
    /// Everything ran and every result was correct and as expected.
    static let success: Int32 = 0
    /// A result was incorrect, or a unit failed where the scenario expected success (or vice versa).
    static let failed: Int32 = 1
    /// A scenario file or an argument is invalid; nothing ran.
    static let invalidInput: Int32 = 2
    /// The run was interrupted (SIGINT or SIGTERM; a second signal too, and one that comes after
    /// `run_finished` is written).
    static let interrupted: Int32 = 130
}
