/// How a subprocess job ended: every child's termination and what the last one wrote.
public struct ChildOutcome: Sendable, Hashable, Codable {
    /// Each child's end, in chain order: `exit 0`, `signal 15`.
    public var terminations: [ChildProcess.Termination]
    /// Bytes the last child wrote to standard output (all of them, captured or not).
    public var outputBytes: Int
    /// SHA-256 of the captured standard output.
    public var outputSHA256: String
    /// The first bytes of standard output, as text, for messages.
    public var outputHead: String
    /// Bytes written to standard error by all children.
    public var errorBytes: Int
    /// The first bytes of standard error (up to the same capture limit), as text.
    public var errorHead: String = ""
    /// Whether the timeout expired and the job was signalled.
    public var timedOut: Bool
    /// How many times the job was polled while it ran (item 52's `proc.poll()` loop).
    public var polls: Int
    /// Seconds spent in `posix_spawn`, over all children.
    public var spawnSeconds: Double

    /// Creates an outcome.
    public init(
        terminations: [ChildProcess.Termination],
        outputBytes: Int,
        outputSHA256: String,
        outputHead: String,
        errorBytes: Int,
        timedOut: Bool,
        polls: Int,
        spawnSeconds: Double
    ) {
        self.terminations = terminations
        self.outputBytes = outputBytes
        self.outputSHA256 = outputSHA256
        self.outputHead = outputHead
        self.errorBytes = errorBytes
        self.timedOut = timedOut
        self.polls = polls
        self.spawnSeconds = spawnSeconds
    }
}
