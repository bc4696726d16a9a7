/// What one client of the guessing game saw: its sessions' transcripts, or — for a bad peer — the
/// server's answer to its misbehaviour. Timings are measurements, not results: equality ignores them.
public struct GuessOutcome: Sendable, Codable, CustomStringConvertible {
    /// One transcript per session played.
    public var transcripts: [[GuessMove]]
    /// A bad peer's view: the line the server answered with (`ERROR …`), or `nil` when it read none.
    public var answer: String?
    /// Whether the server closed the connection after its answer (a bad peer's view).
    public var closed: Bool
    /// Each session's duration in seconds, from its `PARAMS` to its last answer.
    public var sessionSeconds: [Double]
    /// When the client connected and finished, in seconds since the run's clock origin.
    public var span: ClosedRange<Double>

    /// Creates an outcome.
    public init(
        transcripts: [[GuessMove]] = [],
        answer: String? = nil,
        closed: Bool = false,
        sessionSeconds: [Double] = [],
        span: ClosedRange<Double> = 0...0
    ) {
        self.transcripts = transcripts
        self.answer = answer
        self.closed = closed
        self.sessionSeconds = sessionSeconds
        self.span = span
    }

    /// `3 sessions: 4 is Unsure, 3 is Correct | …`, or the answer.
    public var description: String {
        if let answer { return "answered '\(answer)'" + (closed ? ", then closed" : ", left open") }
        return transcripts.map { $0.map(\.description).joined(separator: ", ") }.joined(separator: " | ")
    }
}

extension GuessOutcome: Equatable {
    /// The same moves and answers, however long they took.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.transcripts == rhs.transcripts && lhs.answer == rhs.answer && lhs.closed == rhs.closed
    }
}
