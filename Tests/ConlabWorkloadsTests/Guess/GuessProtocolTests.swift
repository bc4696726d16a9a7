import ConlabCore
import ConlabLatency
import ConlabWorkloads
import Testing

/// Checks a transcript against the rules of item 61's game, independently of the code that played it.
func protocolProblems(_ transcript: [GuessMove], game: GuessGame) -> [String] {
    var problems: [String] = []
    var lastDistance: Int?
    for (index, move) in transcript.enumerated() {
        if !(game.lower...game.upper).contains(move.number) { problems.append("\(move.number) outside the range") }
        if transcript[..<index].contains(where: { $0.number == move.number }) {
            problems.append("\(move.number) guessed twice")
        }
        let distance = abs(move.number - game.secret)
        let expected: GuessDecision =
            distance == 0
            ? .correct
            : lastDistance.map { distance < $0 ? .warmer : distance > $0 ? .colder : .unsure } ?? .unsure
        if move.decision != expected { problems.append("\(move): expected \(expected.rawValue)") }
        if move.decision == .correct && index != transcript.count - 1 { problems.append("moves after Correct") }
        lastDistance = distance
    }
    if transcript.count > game.guesses { problems.append("more than \(game.guesses) guesses") }
    if transcript.last?.decision != .correct && transcript.count < game.guesses { problems.append("ended early") }
    return problems
}

@Suite("Item 61's protocol, without sockets")
struct GuessProtocolTests {
    private let random = CounterRandom(seed: 61)

    @Test("The seed's PARAMS, NUMBER and REPORT are served (its if/if/else chain rejected PARAMS)")
    func seedCommands() {
        var session = GuessServerSession(random: random)
        #expect(session.handle("PARAMS 1 5") == .silent)
        guard case .reply(let guess) = session.handle("NUMBER") else {
            Issue.record("NUMBER got no guess")
            return
        }
        #expect(Int(guess).map { (1...5).contains($0) } == true)
        #expect(session.handle("REPORT Unsure") == .silent)
        #expect(session.handle("PARAMS 0 -1") == .silent)
        #expect(session.finished == [[GuessMove(number: Int(guess)!, decision: .unsure)]])
    }

    @Test("Guesses never repeat within a session; once all are used the server refuses instead of looping")
    func exhaustion() {
        var session = GuessServerSession(random: random)
        _ = session.handle("PARAMS 7 9")
        var seen: Set<String> = []
        for _ in 0..<3 {
            guard case .reply(let guess) = session.handle("NUMBER") else {
                Issue.record("expected a guess")
                return
            }
            #expect(seen.insert(guess).inserted)
            _ = session.handle("REPORT Colder")
        }
        #expect(seen == ["7", "8", "9"])
        #expect(session.handle("NUMBER") == .refuse("every number in 7...9 was guessed"))
    }

    @Test("Once told Correct the server answers with the secret, as the seed's next_guess does")
    func secretRemembered() {
        var session = GuessServerSession(random: random)
        _ = session.handle("PARAMS 1 100")
        guard case .reply(let guess) = session.handle("NUMBER") else {
            Issue.record("expected a guess")
            return
        }
        _ = session.handle("REPORT Correct")
        #expect(session.handle("NUMBER") == .reply(guess))
    }

    @Test(
        "Protocol violations end the connection with a reason",
        arguments: [
            ("HELLO", "unknown command 'HELLO'"),
            (
                "PARAMS 1 five",
                "malformed PARAMS: expected 'PARAMS lower upper' with two whole numbers, got 'PARAMS 1 five'"
            ),
            ("PARAMS 1", "malformed PARAMS: expected 'PARAMS lower upper' with two whole numbers, got 'PARAMS 1'"),
            ("NUMBER", "NUMBER outside a session: send 'PARAMS lower upper' first"),
            ("REPORT Correct", "REPORT without a guess to report on"),
            ("PARAMS 0 1000000", "range 0...1000000 is wider than 100000 numbers"),
        ]
    )
    func violations(line: String, reason: String) {
        var session = GuessServerSession(random: random)
        #expect(session.handle(line) == .refuse(reason))
    }

    @Test("A REPORT that is not one of the four decisions is refused")
    func badDecision() {
        var session = GuessServerSession(random: random)
        _ = session.handle("PARAMS 1 5")
        _ = session.handle("NUMBER")
        #expect(
            session.handle("REPORT Hot")
                == .refuse("malformed REPORT: expected 'REPORT Warmer|Colder|Unsure|Correct', got 'REPORT Hot'")
        )
    }

    @Test("The decisions follow the seed's report_outcome")
    func decisions() {
        #expect(GuessDecision.judge(3, secret: 3, lastDistance: nil) == (.correct, 0))
        #expect(GuessDecision.judge(1, secret: 3, lastDistance: nil) == (.unsure, 2))
        #expect(GuessDecision.judge(2, secret: 3, lastDistance: 2) == (.warmer, 1))
        #expect(GuessDecision.judge(5, secret: 3, lastDistance: 1) == (.colder, 2))
        #expect(GuessDecision.judge(1, secret: 3, lastDistance: 2) == (.unsure, 2))
    }

    @Test("Many seeds of the seed's two games played in memory all obey the protocol")
    func transcriptsObeyProtocol() throws {
        for seed in 0..<200 as Range<UInt64> {
            var session = GuessServerSession(random: CounterRandom(seed: seed))
            var player = GuessPlayer(games: GuessGame.seedGames + GuessGame.seedGames)
            var reply: String?
            while case .send(let text, let awaitReply) = try player.next(reply) {
                reply = nil
                for line in text.split(separator: "\n") {
                    if case .reply(let answer) = session.handle(String(line)) { reply = answer }
                }
                #expect(awaitReply == (reply != nil))
            }
            session.close()
            #expect(player.transcripts.count == 4)
            #expect(session.finished == player.transcripts)
            for (transcript, game) in zip(player.transcripts, GuessGame.seedGames + GuessGame.seedGames) {
                #expect(protocolProblems(transcript, game: game) == [], "seed \(seed): \(transcript)")
            }
        }
    }

    @Test("A transcript that differs from the reference, or a server that disagrees, is named as the mismatch")
    func mismatch() {
        let workload = GuessWorkload(server: .async, clients: 1, sessions: 1, badPeers: false, random: random)
        let reference = GuessState(
            outcomes: [GuessOutcome(transcripts: [[GuessMove(number: 3, decision: .correct)]])],
            serverAgrees: true
        )
        var changed = reference
        changed.outcomes[0].transcripts = [[GuessMove(number: 2, decision: .unsure)]]
        #expect(changed != reference)
        #expect(workload.mismatch(changed, expected: reference) == "client 0: expected 3 is Correct, got 2 is Unsure")
        var disagreeing = reference
        disagreeing.serverAgrees = false
        #expect(disagreeing != reference)
        #expect(
            workload.mismatch(disagreeing, expected: reference)
                == "the sessions the server recorded are not the ones the clients played"
        )
        var slower = reference
        slower.outcomes[0].sessionSeconds = [1]
        #expect(slower == reference)
    }

    @Test("The player rejects a server that repeats a guess or guesses outside the range")
    func playerChecksServer() throws {
        var player = GuessPlayer(games: [GuessGame(lower: 1, upper: 5, secret: 5, guesses: 5)])
        _ = try player.next(nil)
        _ = try player.next("2")
        #expect(throws: GuessPlayer.Violation.self) { _ = try player.next("2") }
        var other = GuessPlayer(games: [GuessGame(lower: 1, upper: 5, secret: 5, guesses: 5)])
        _ = try other.next(nil)
        #expect(throws: GuessPlayer.Violation.self) { _ = try other.next("9") }
        var third = GuessPlayer(games: [GuessGame(lower: 1, upper: 5, secret: 5, guesses: 5)])
        _ = try third.next(nil)
        #expect(throws: GuessPlayer.Violation.self) { _ = try third.next("ERROR no") }
    }
}
