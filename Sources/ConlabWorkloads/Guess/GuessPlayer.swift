/// The client's side of item 61's guessing game, without I/O: it says what to send and judges the
/// server's guesses (the seed's `Client` and `run_client`). The real clients drive it over sockets; the
/// serial reference drives it against a ``GuessServerSession`` in memory.
///
/// Lines are batched: a `REPORT` goes out with the `NUMBER` after it, so each guess costs one round trip.
public struct GuessPlayer: Sendable {
    /// What to do next.
    public enum Step: Sendable, Equatable {
        /// Send these lines, then wait for one line in reply if `awaitReply`, and call ``next(_:)`` with it.
        case send(String, awaitReply: Bool)
        /// Every game is played: say no more will be sent.
        case finished
    }

    /// The server broke the protocol.
    public struct Violation: Error, Sendable, CustomStringConvertible {
        /// What happened.
        public var description: String
    }

    private let games: [GuessGame]
    private var gameIndex = 0
    private var moves: [GuessMove] = []
    private var lastDistance: Int?
    private var done = false
    /// The sessions played so far, one transcript each.
    public private(set) var transcripts: [[GuessMove]] = []

    /// A player for `games`, in order; every game allows at least one guess.
    public init(games: [GuessGame]) {
        precondition(games.allSatisfy { $0.guesses > 0 }, "a game allows at least one guess")
        self.games = games
    }

    /// What to send next, given the reply to the last ``Step/send(_:awaitReply:)`` (`nil` at the start or
    /// when no reply was awaited).
    public mutating func next(_ reply: String?) throws(Violation) -> Step {
        var lines = ""
        if let reply {
            let game = games[gameIndex]
            guard let number = Int(reply) else {
                throw Violation(description: "expected a number in reply to NUMBER, got '\(reply.prefix(40))'")
            }
            guard (game.lower...game.upper).contains(number) else {
                throw Violation(description: "the server guessed \(number), outside \(game.lower)...\(game.upper)")
            }
            guard !moves.contains(where: { $0.number == number }) else {
                throw Violation(description: "the server guessed \(number) twice in one session")
            }
            let (decision, distance) = GuessDecision.judge(number, secret: game.secret, lastDistance: lastDistance)
            lastDistance = distance
            moves.append(GuessMove(number: number, decision: decision))
            lines += "REPORT \(decision.rawValue)\n"
            if decision != .correct && moves.count < game.guesses {
                return .send(lines + "NUMBER\n", awaitReply: true)
            }
            // The seed's `session` context manager clears the range when a session ends.
            lines += "PARAMS 0 -1\n"
            transcripts.append(moves)
            moves = []
            lastDistance = nil
            gameIndex += 1
        }
        if gameIndex < games.count {
            let game = games[gameIndex]
            return .send(lines + "PARAMS \(game.lower) \(game.upper)\nNUMBER\n", awaitReply: true)
        }
        if !lines.isEmpty { return .send(lines, awaitReply: false) }
        done = true
        return .finished
    }

    /// Whether the last session has ended.
    public var isFinished: Bool { done }

    /// Which session the next reply belongs to.
    public var session: Int { gameIndex }
}
