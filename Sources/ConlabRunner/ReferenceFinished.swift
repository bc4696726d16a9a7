public import ConlabCore

/// A scenario's serial reference is computed, as ``RunEvent/referenceFinished(_:)`` tells it: what it renders,
/// how it ends, and whether it meets the scenario's expectations. Every strategy is then checked against it.
public struct ReferenceFinished: Sendable, Equatable {
    /// Each state rendered, for workloads small enough to print; `nil` otherwise.
    public var frames: [String]?
    /// The reference's failure, when a unit fails.
    public var failure: UnitFailure?
    /// The digest of the reference's final state, when it completes and the work has one.
    public var digest: String?
    /// Expectations the reference itself does not meet.
    public var problems: [String]

    /// Creates the event.
    public init(frames: [String]? = nil, failure: UnitFailure? = nil, digest: String? = nil, problems: [String] = []) {
        self.frames = frames
        self.failure = failure
        self.digest = digest
        self.problems = problems
    }
}
