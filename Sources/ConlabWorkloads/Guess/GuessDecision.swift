/// How a guess compares with the last one (item 61's `WARMER`, `COLDER`, `UNSURE`, `CORRECT`).
public enum GuessDecision: String, Sendable, Hashable, Codable, CaseIterable {
    /// Closer to the secret than the last guess.
    case warmer = "Warmer"
    /// Further from it.
    case colder = "Colder"
    /// The first guess, or as far as the last.
    case unsure = "Unsure"
    /// The secret.
    case correct = "Correct"

    /// The seed's `report_outcome`: the decision for `number`, given the distance of the guess before it.
    public static func judge(_ number: Int, secret: Int, lastDistance: Int?) -> (Self, distance: Int) {
        let distance = abs(number - secret)
        if distance == 0 { return (.correct, 0) }
        guard let lastDistance else { return (.unsure, distance) }
        if distance < lastDistance { return (.warmer, distance) }
        if distance > lastDistance { return (.colder, distance) }
        return (.unsure, distance)
    }
}

/// One guess of a session and the client's decision about it.
public struct GuessMove: Sendable, Hashable, Codable, CustomStringConvertible {
    /// What the server guessed.
    public var number: Int
    /// What the client reported.
    public var decision: GuessDecision

    /// Creates a move.
    public init(number: Int, decision: GuessDecision) {
        self.number = number
        self.decision = decision
    }

    /// `3 is Correct`, as the seed prints it.
    public var description: String { "\(number) is \(decision.rawValue)" }
}

/// One game as the client plays it: the range it sends, the secret it keeps, how many guesses it allows.
public struct GuessGame: Sendable, Hashable, Codable {
    /// The smallest number in play.
    public var lower: Int
    /// The largest.
    public var upper: Int
    /// The number the server must find.
    public var secret: Int
    /// The most guesses the client asks for.
    public var guesses: Int

    /// Creates a game.
    public init(lower: Int, upper: Int, secret: Int, guesses: Int) {
        self.lower = lower
        self.upper = upper
        self.secret = secret
        self.guesses = guesses
    }

    /// The seed's two sessions: 1..5 with secret 3, then 10..15 with secret 12, five guesses each.
    public static let seedGames = [
        GuessGame(lower: 1, upper: 5, secret: 3, guesses: 5),
        GuessGame(lower: 10, upper: 15, secret: 12, guesses: 5),
    ]
}
