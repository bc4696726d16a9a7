import ConlabCore
import ConlabIO
import ConlabLatency
import Synchronization

/// One client's conversation with the guessing-game server over a real loopback connection — blocking
/// its thread or suspending its task, as the strategy decides — or, for the serial reference, with the
/// server's logic in memory.
final class GuessConversation: ExternalWork {
    /// Who the client is.
    enum Role: Sendable {
        /// Plays these games, in order (the seed's `run_client`).
        case player([GuessGame])
        /// Misbehaves this way.
        case badPeer(GuessWorkload.BadPeer)
    }

    /// The conversation went wrong.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let role: Role
    let server: GuessServerHandle
    let random: CounterRandom
    let timeout: Duration
    let origin: ContinuousClock.Instant
    private let result = Mutex<Result<GuessOutcome, Failure>?>(nil)

    init(
        role: Role,
        server: GuessServerHandle,
        random: CounterRandom,
        timeout: Duration,
        origin: ContinuousClock.Instant
    ) {
        self.role = role
        self.server = server
        self.random = random
        self.timeout = timeout
        self.origin = origin
    }

    /// What the conversation produced.
    func outcome() throws(Failure) -> GuessOutcome {
        guard let result = result.withLock({ $0 }) else { throw Failure(description: "the conversation never ran") }
        return try result.get()
    }

    // MARK: Over a socket, blocking

    func performBlocking(using services: WaitServices) throws {
        let connection = LineConnection(descriptor: try LoopbackSocket.connect(port: try server.port(using: services)))
        defer { connection.close() }
        let started = ContinuousClock.now
        switch role {
        case .player(let games):
            var player = GuessPlayer(games: games)
            var timing = SessionTiming(started: started)
            var reply: String?
            while case .send(let text, let awaitReply) = try player.next(reply) {
                timing.check(player)
                try connection.send(text, timeout: timeout)
                reply = awaitReply ? try Self.required(connection.receiveLine(timeout: timeout)) : nil
            }
            connection.finishSending()
            if let extra = try connection.receiveLine(timeout: timeout) { throw Self.unexpected(extra) }
            store(player: player, timing: timing)
        case .badPeer(let peer):
            try connection.send(peer.lines, timeout: timeout)
            guard peer != .disconnect else { return store(GuessOutcome(closed: true)) }
            let answer = try connection.receiveLine(timeout: timeout)
            let closed = (try? connection.receiveLine(timeout: timeout)) == nil
            store(GuessOutcome(answer: answer, closed: closed))
        }
    }

    // MARK: Over a socket, suspending

    func performSuspending(using services: WaitServices) async throws {
        let connection = LineConnection(
            descriptor: try LoopbackSocket.connect(port: try server.port(using: services)),
            reactor: try services.require(ReadinessReactor.self)
        )
        defer { connection.close() }
        let started = ContinuousClock.now
        switch role {
        case .player(let games):
            var player = GuessPlayer(games: games)
            var timing = SessionTiming(started: started)
            var reply: String?
            while case .send(let text, let awaitReply) = try player.next(reply) {
                timing.check(player)
                try await connection.send(text, timeout: timeout)
                reply = awaitReply ? try Self.required(await connection.receiveLine(timeout: timeout)) : nil
            }
            connection.finishSending()
            if let extra = try await connection.receiveLine(timeout: timeout) { throw Self.unexpected(extra) }
            store(player: player, timing: timing)
        case .badPeer(let peer):
            try await connection.send(peer.lines, timeout: timeout)
            guard peer != .disconnect else { return store(GuessOutcome(closed: true)) }
            let answer = try await connection.receiveLine(timeout: timeout)
            let closed = (try? await connection.receiveLine(timeout: timeout)) == nil
            store(GuessOutcome(answer: answer, closed: closed))
        }
    }

    // MARK: In memory, for the reference

    func performInstantly() {
        var session = GuessServerSession(random: random)
        /// Feeds the server's logic `text`; the last reply, or the refusal that ends the connection.
        func exchange(_ text: String) -> (reply: String?, refused: Bool) {
            var reply: String?
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                switch session.handle(String(line)) {
                case .silent: continue
                case .reply(let text): reply = text
                case .refuse(let reason): return ("ERROR \(reason)", true)
                }
            }
            return (reply, false)
        }
        switch role {
        case .player(let games):
            var player = GuessPlayer(games: games)
            var reply: String?
            do {
                while case .send(let text, let awaitReply) = try player.next(reply) {
                    let answer = exchange(text)
                    reply = awaitReply ? answer.reply : nil
                }
                store(player: player, timing: SessionTiming(started: origin))
            } catch {
                result.withLock { $0 = .failure(Failure(description: error.description)) }
            }
        case .badPeer(let peer):
            let answer = exchange(peer.lines)
            store(GuessOutcome(answer: answer.refused ? answer.reply : nil, closed: true))
        }
    }

    // MARK: Shared

    /// Per-session durations: a session ends when the player has judged its last guess.
    private struct SessionTiming {
        let started: ContinuousClock.Instant
        var sessionStarted: ContinuousClock.Instant
        var seconds: [Double] = []

        init(started: ContinuousClock.Instant) {
            self.started = started
            sessionStarted = started
        }

        mutating func check(_ player: GuessPlayer) {
            guard player.transcripts.count > seconds.count else { return }
            let now = ContinuousClock.now
            seconds.append((now - sessionStarted).inSeconds)
            sessionStarted = now
        }
    }

    private func store(player: GuessPlayer, timing: SessionTiming) {
        let span = (timing.started - origin).inSeconds...(ContinuousClock.now - origin).inSeconds
        store(GuessOutcome(transcripts: player.transcripts, sessionSeconds: timing.seconds, span: span))
    }

    private func store(_ outcome: GuessOutcome) {
        result.withLock { $0 = .success(outcome) }
    }

    private static func required(_ line: String?) throws(Failure) -> String {
        guard let line else {
            throw Failure(description: "the server closed the connection in the middle of a session")
        }
        return line
    }

    private static func unexpected(_ line: String) -> Failure {
        Failure(description: "the server sent '\(line.prefix(60))' after the last session")
    }
}
