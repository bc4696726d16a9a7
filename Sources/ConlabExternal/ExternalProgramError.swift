/// A strategy program that failed its run: it could not start, broke the protocol, ended, or hung.
public struct ExternalProgramError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The program's registered name.
    public var program: String
    /// What happened.
    public var message: String

    /// Creates an error.
    init(_ program: String, _ message: String) {
        self.program = program
        self.message = message
    }

    /// `strategy program python-serial: it ended during generation 1 without answering (process 12, exit status 1)`.
    public var description: String { "strategy program \(program): \(message)" }
}
