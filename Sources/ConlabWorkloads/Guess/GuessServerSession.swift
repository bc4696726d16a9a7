import ConlabCore
public import ConlabLatency

/// The server's side of one connection of item 61's guessing game, without I/O: it takes the client's
/// lines and says what to answer. Both servers (threaded and async) and the serial reference run it.
///
/// The seed's `Session`, with its slips fixed: its `if … if … else` chain rejected every `PARAMS` as an
/// unknown command, and `next_guess` looped forever once every number had been guessed. Here any
/// violation of the protocol ends the connection with `ERROR <reason>`.
public struct GuessServerSession: Sendable {
    /// What to do after a line.
    public enum Response: Sendable, Equatable {
        /// Nothing to send.
        case silent
        /// Send this line.
        case reply(String)
        /// Send `ERROR <reason>` and close the connection.
        case refuse(String)
    }

    /// The widest range accepted: every guess picks among the numbers not yet guessed.
    public static let widestRange = 100_000

    private let random: CounterRandom
    private var lower = 0
    private var upper = -1
    private var secret: Int?
    private var moves: [GuessMove] = []
    private var guessed: Set<Int> = []
    /// The guess awaiting its `REPORT`.
    private var unreported: Int?
    /// How many sessions this connection has started; the guesses of a session are drawn from it, so a
    /// client's transcript is the same whichever connection order the server sees.
    private var ordinal: UInt64 = 0
    /// The sessions finished on this connection, as the server saw them.
    public private(set) var finished: [[GuessMove]] = []

    /// A connection's session state; guesses are drawn from `random`.
    public init(random: CounterRandom) {
        self.random = random
    }

    /// Whether a session has started and not ended.
    public var inSession: Bool { lower <= upper }

    /// Handles one line from the client.
    public mutating func handle(_ line: String) -> Response {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        switch parts.first {
        case "PARAMS":
            guard parts.count == 3, let lower = Int(parts[1]), let upper = Int(parts[2]) else {
                return .refuse("malformed PARAMS: expected 'PARAMS lower upper' with two whole numbers, got '\(line)'")
            }
            guard lower > upper || upper - lower < Self.widestRange else {
                return .refuse("range \(lower)...\(upper) is wider than \(Self.widestRange) numbers")
            }
            endSession()
            if lower <= upper {
                ordinal += 1
                self.lower = lower
                self.upper = upper
            }
            return .silent
        case "NUMBER":
            guard parts.count == 1 else { return .refuse("malformed NUMBER: expected no arguments, got '\(line)'") }
            guard inSession else { return .refuse("NUMBER outside a session: send 'PARAMS lower upper' first") }
            guard unreported == nil else { return .refuse("NUMBER before the REPORT of the last guess") }
            guard let guess = nextGuess() else { return .refuse("every number in \(lower)...\(upper) was guessed") }
            unreported = guess
            guessed.insert(guess)
            return .reply(String(guess))
        case "REPORT":
            guard parts.count == 2, let decision = GuessDecision(rawValue: String(parts[1])) else {
                return .refuse("malformed REPORT: expected 'REPORT Warmer|Colder|Unsure|Correct', got '\(line)'")
            }
            guard let guess = unreported else { return .refuse("REPORT without a guess to report on") }
            unreported = nil
            moves.append(GuessMove(number: guess, decision: decision))
            if decision == .correct { secret = guess }
            return .silent
        default:
            return .refuse("unknown command '\(line.prefix(40))'")
        }
    }

    /// Ends the session in progress at the end of the connection.
    public mutating func close() {
        endSession()
    }

    private mutating func endSession() {
        if inSession, !moves.isEmpty { finished.append(moves) }
        lower = 0
        upper = -1
        secret = nil
        moves = []
        guessed = []
        unreported = nil
    }

    /// The seed's `next_guess`: the secret once known, otherwise a number not guessed yet, or `nil` when
    /// none is left.
    private func nextGuess() -> Int? {
        if let secret { return secret }
        let left = upper - lower + 1 - guessed.count
        guard left > 0 else { return nil }
        var pick = Int(random.bits(0x6E55, ordinal, UInt64(guessed.count)) % UInt64(left))
        for number in lower...upper where !guessed.contains(number) {
            if pick == 0 { return number }
            pick -= 1
        }
        return nil
    }
}
