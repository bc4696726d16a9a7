import ConlabCore
public import ConlabIO

/// How a strategy program ended when conlab let it go after a run: the protocol asks it to exit with status 0
/// after `end`, and at the end of its input (`docs/strategy-protocol.md`), and `conlab conform` holds it to that.
public struct ProgramEnding: Sendable, Hashable, CustomStringConvertible {
    /// How conlab tells a program that the conversation is over.
    public enum Farewell: String, Sendable, Hashable {
        /// An `end` message.
        case endMessage = "its 'end' message"
        /// The end of its input, which is what it sees when conlab itself is killed.
        case endOfInput = "the end of its input"
    }

    /// How it was told.
    public var farewell: Farewell
    /// How it ended.
    public var termination: ChildProcess.Termination
    /// Whether it was still running when its grace ran out, and was killed.
    public var killed: Bool
    /// How long it was given to end by itself.
    public var grace: Duration

    /// Creates an ending.
    public init(farewell: Farewell, termination: ChildProcess.Termination, killed: Bool, grace: Duration) {
        self.farewell = farewell
        self.termination = termination
        self.killed = killed
        self.grace = grace
    }

    /// Whether it ended as the protocol asks: by itself, with status 0.
    public var isClean: Bool { !killed && termination == .exited(0) }

    /// `it did not exit within 2s of its 'end' message, and was killed`.
    public var description: String {
        if killed {
            return "it did not exit within \(DurationFormat.short(grace)) of \(farewell.rawValue), and was killed"
        }
        return "it ended with \(termination) after \(farewell.rawValue)"
    }
}
