import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabTestSupport
import ConlabToolkit
import ConlabWorkloads
import Testing

/// Item 61's two servers over real loopback sockets.
///
/// Timeouts here are long on purpose: tests run beside each other on a cooperative pool of two threads,
/// and CPU-bound tests can hold both for seconds, delaying the async server's tasks. What is checked is
/// what happened, never how fast.
@Suite("Item 61's servers over TCP")
struct GuessServerTests {
    private static let random = CounterRandom(seed: 61)
    private static let patience = Duration.seconds(60)

    private static func start(
        _ kind: GuessWorkload.ServerKind,
        timeout: Duration = patience
    ) throws -> any GuessServer {
        switch kind {
        case .threaded: try ThreadedGuessServer(random: random, timeout: timeout)
        case .async: try AsyncGuessServer(random: random, timeout: timeout, reactor: TestServices.shared.readiness)
        }
    }

    /// Stops `server` and waits until every connection has ended.
    private static func stop(_ server: any GuessServer) async {
        server.stop()
        if let server = server as? AsyncGuessServer { await server.finished() }
    }

    /// A raw client connection, blocking a thread of its own for each call.
    private static func exchange(port: UInt16, send text: String, replies: Int) async throws -> [String?] {
        try await OSThread.run(name: "guess-test-client") { _ in
            let connection = LineConnection(descriptor: try LoopbackSocket.connect(port: port))
            defer { connection.close() }
            try connection.send(text, timeout: patience)
            return try (0..<replies).map { _ in try connection.receiveLine(timeout: patience) }
        }
    }

    @Test(
        "Both servers play the seed's client to the reference transcripts",
        arguments: GuessWorkload.ServerKind.allCases
    )
    func seedClient(kind: GuessWorkload.ServerKind) async throws {
        let workload = GuessWorkload(
            server: kind,
            clients: 3,
            sessions: 4,
            badPeers: false,
            timeout: Self.patience,
            random: Self.random
        )
        let reference = workload.batch(phase: 0, from: workload.initialState)
        let expected = try (0..<reference.count).map { try reference.unit(at: $0).runInstantly().result.get() }
        // Threads for one half, tasks for the other: both client forms against one server.
        let batch = workload.batch(phase: 0, from: workload.initialState)
        let blocking = try await OSThread.run(name: "guess-test") { _ in
            try batch.unit(at: 0).runBlocking(using: TestServices.waits, reportingTo: nil)
        }
        async let first = batch.unit(at: 1).runSuspending(using: TestServices.waits, reportingTo: nil)
        async let second = batch.unit(at: 2).runSuspending(using: TestServices.waits, reportingTo: nil)
        let outputs = [blocking, try await first, try await second]
        #expect(outputs == expected)
        let state = workload.state(after: batch, outputs: outputs)
        #expect(state.serverAgrees)
        #expect(state.connections == 3)
        #expect(state == workload.state(after: reference, outputs: expected))
        for transcript in outputs[0].transcripts.prefix(2) { #expect(!transcript.isEmpty) }
        for (transcript, game) in zip(outputs[0].transcripts, GuessGame.seedGames + GuessGame.seedGames) {
            #expect(protocolProblems(transcript, game: game) == [])
        }
    }

    @Test(
        "A bad peer gets an error and a closed connection, and the server keeps serving others",
        arguments: GuessWorkload.ServerKind.allCases
    )
    func badPeers(kind: GuessWorkload.ServerKind) async throws {
        let server = try Self.start(kind)
        let unknown = try await Self.exchange(port: server.port, send: "HELLO\n", replies: 2)
        #expect(unknown == ["ERROR unknown command 'HELLO'", nil])
        let malformed = try await Self.exchange(port: server.port, send: "PARAMS 1 five\n", replies: 2)
        #expect(malformed.first??.hasPrefix("ERROR malformed PARAMS") == true)
        #expect(malformed.last == .some(nil))
        let long = try await Self.exchange(
            port: server.port,
            send: String(repeating: "x", count: 5000) + "\n",
            replies: 2
        )
        #expect(long == ["ERROR a line longer than 1024 bytes", nil])
        _ = try await Self.exchange(port: server.port, send: "PARAMS 1 5\nNUMBER\n", replies: 0)
        let good = try await Self.exchange(port: server.port, send: "PARAMS 1 5\nNUMBER\n", replies: 1)
        #expect(good.first??.isEmpty == false)
        // Each handler logs once its client has gone: after stopping, all of them have.
        await Self.stop(server)
        #expect(server.log.summary.refusals.count == 3)
    }

    @Test("A silent connection is closed after the timeout", arguments: GuessWorkload.ServerKind.allCases)
    func idleTimeout(kind: GuessWorkload.ServerKind) async throws {
        let server = try Self.start(kind, timeout: .milliseconds(200))
        // The client would give up after a minute with an error; reading the end of the stream instead
        // means the server closed the connection.
        let replies = try await Self.exchange(port: server.port, send: "", replies: 1)
        #expect(replies == [nil])
        await Self.stop(server)
        #expect(server.log.summary.failures == ["nothing within 200ms"])
    }

    @Test("Stopping ends open connections and closes the listener", arguments: GuessWorkload.ServerKind.allCases)
    func stopCloses(kind: GuessWorkload.ServerKind) async throws {
        let server = try Self.start(kind)
        let port = server.port
        // A client that connects and waits: stopping must not wait for its timeout.
        let descriptor = try LoopbackSocket.connect(port: port)
        let connection = LineConnection(descriptor: descriptor)
        defer { connection.close() }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(5)
        while server.log.summary.connections == 0 && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        let started = clock.now
        await Self.stop(server)
        // Well under the server's minute of patience with a silent client: stopping ended the connection.
        #expect(clock.now - started < .seconds(30))
        #expect(server.log.openConnections == 0)
        #expect(try await Self.refusesConnections(port: port, within: .seconds(5)))
    }

    /// Whether a connection to `port` is refused within `limit`.
    ///
    /// One can still succeed for a moment after the listener is closed: a child process that another test
    /// is starting holds a copy of this process's descriptors until it execs, and a connect to a free port
    /// can connect to itself. Neither lasts, so the check tries again; a listener left open never passes.
    private static func refusesConnections(port: UInt16, within limit: Duration) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        repeat {
            guard let descriptor = try? LoopbackSocket.connect(port: port) else { return true }
            LineConnection(descriptor: descriptor).close()
            try await Task.sleep(for: .milliseconds(10))
        } while clock.now < deadline
        return false
    }
}
