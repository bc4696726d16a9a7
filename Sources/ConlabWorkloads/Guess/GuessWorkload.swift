public import ConlabCore
public import ConlabLatency
public import ConlabScenario
import ConlabToolkit

/// Item 61's guessing game over real loopback TCP: a server (threaded, or ported to async) and clients
/// that each play `sessions` games over one connection, cycling through the seed's two games. The
/// strategy runs the clients, one unit each; `bad_peers` adds three clients that misbehave.
///
/// Each run is checked twice: every client's transcripts must equal the serial reference's, which plays
/// the same games against the server's logic in memory, and the sessions the server recorded must be
/// the ones the clients played.
public struct GuessWorkload: PhasedWorkload {
    /// Which server the clients talk to.
    public enum ServerKind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A thread per connection, blocking in its reads (the seed's first version).
        case threaded
        /// A task per connection, suspending on readiness (the seed's port to `asyncio`).
        case async
    }

    /// The ways the bad peers misbehave, one client each.
    public enum BadPeer: String, Sendable, Hashable, Codable, CaseIterable {
        /// Sends a command the protocol does not have.
        case unknownCommand = "unknown command"
        /// Sends `PARAMS` with a word where a number belongs.
        case malformedNumber = "malformed number"
        /// Asks for a guess and hangs up without reading it.
        case disconnect = "disconnect midway"

        /// What it sends.
        var lines: String {
            switch self {
            case .unknownCommand: "HELLO\n"
            case .malformedNumber: "PARAMS 1 five\n"
            case .disconnect: "PARAMS 1 5\nNUMBER\n"
            }
        }
    }

    /// The server.
    public let server: ServerKind
    /// Concurrent well-behaved clients, one connection each.
    public let clients: Int
    /// Sessions each client plays.
    public let sessions: Int
    /// Whether three misbehaving clients join them.
    public let badPeers: Bool
    /// The longest wait for any line, on either side.
    public let timeout: Duration
    /// The server's guesses.
    public let random: CounterRandom

    /// Creates a workload.
    public init(
        server: ServerKind,
        clients: Int,
        sessions: Int,
        badPeers: Bool,
        timeout: Duration = .seconds(5),
        random: CounterRandom
    ) {
        self.server = server
        self.clients = clients
        self.sessions = sessions
        self.badPeers = badPeers
        self.timeout = timeout
        self.random = random
    }

    /// One phase.
    public var phaseCount: Int { 1 }
    /// `batch`.
    public var phaseName: String { "batch" }
    /// Nothing played yet.
    public var initialState: GuessState { GuessState(outcomes: [], serverAgrees: true) }

    /// One phase in which every client and bad peer waits once, in `session`, for a conversation the
    /// model does not time (an external wait): known without playing a game.
    public func plannedProfiles(budget: Int) -> PlannedProfiles? {
        let units = clients + (badPeers ? BadPeer.allCases.count : 0)
        return PlannedProfiles([PlannedPhase(units: units, steps: ["session"], waits: .each([.zero]))])
    }

    /// The clients, and a server that starts when the first of them connects.
    public func batch(phase: Int, from state: GuessState) -> GuessBatch {
        GuessBatch(
            phase: phase,
            workload: self,
            server: GuessServerHandle(kind: server, random: random, timeout: timeout),
            origin: .now
        )
    }

    /// Stops the server and checks what it recorded against what the clients played.
    public func state(after batch: GuessBatch, outputs: [GuessOutcome]) -> GuessState {
        guard let summary = batch.server.stop() else { return GuessState(outcomes: outputs, serverAgrees: true) }
        let played = outputs.flatMap(\.transcripts).map(\.description).sorted()
        let recorded = summary.sessions.map(\.description).sorted()
        return GuessState(
            outcomes: outputs,
            serverAgrees: played == recorded,
            connections: summary.connections,
            refusals: summary.refusals
        )
    }

    /// SHA-256 of every transcript and answer, client by client.
    public func digest(of state: GuessState) -> String {
        SHA256.hexDigest(of: state.outcomes.map { "\($0)\n" }.joined())
    }

    /// The first client whose transcript differs, or the server's disagreement.
    public func mismatch(_ state: GuessState, expected: GuessState) -> String? {
        for (index, (found, wanted)) in zip(state.outcomes, expected.outcomes).enumerated() where found != wanted {
            return "client \(index): expected \(wanted), got \(found)"
        }
        if !state.serverAgrees { return "the sessions the server recorded are not the ones the clients played" }
        return nil
    }

    /// Sessions, sessions per second, session latency percentiles, and what the server saw.
    public func figures(of state: GuessState) -> [String: Double] {
        let played = state.outcomes.filter { $0.answer == nil }
        let latencies = played.flatMap(\.sessionSeconds).sorted()
        let sessions = played.reduce(0) { $0 + $1.transcripts.count }
        let first = played.map(\.span.lowerBound).min() ?? 0
        let last = played.map(\.span.upperBound).max() ?? 0
        return [
            "sessions": Double(sessions),
            "sessions_per_second": last > first ? Double(sessions) / (last - first) : 0,
            "session_p50_seconds": latencies.percentile(0.5),
            "session_p90_seconds": latencies.percentile(0.9),
            "session_p99_seconds": latencies.percentile(0.99),
            "session_max_seconds": latencies.last ?? 0,
            "server_connections": Double(state.connections),
            "server_refusals": Double(state.refusals.count),
        ]
    }

    /// The games client `index` plays.
    func games(forClient index: Int) -> [GuessGame] {
        (0..<sessions).map { GuessGame.seedGames[$0 % GuessGame.seedGames.count] }
    }
}

/// The outcome of a guessing-game run.
public struct GuessState: Sendable, Equatable {
    /// Every client's outcome, in unit order.
    public var outcomes: [GuessOutcome]
    /// Whether the server recorded exactly the sessions the clients played (true when no server ran).
    public var serverAgrees: Bool
    /// Connections the server accepted (a measurement, not compared).
    public var connections = 0
    /// The reasons of the server's `ERROR`s (not compared: the clients' answers are).
    public var refusals: [String] = []

    /// Creates a state.
    public init(outcomes: [GuessOutcome], serverAgrees: Bool, connections: Int = 0, refusals: [String] = []) {
        self.outcomes = outcomes
        self.serverAgrees = serverAgrees
        self.connections = connections
        self.refusals = refusals
    }

    /// Equal outcomes, and a server that agrees.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.outcomes == rhs.outcomes && lhs.serverAgrees == rhs.serverAgrees
    }
}

/// The clients of one run: the well-behaved ones, then the bad peers.
public struct GuessBatch: UnitBatch {
    /// Always 0.
    public let phase: Int
    let workload: GuessWorkload
    let server: GuessServerHandle
    let origin: ContinuousClock.Instant

    /// Clients plus bad peers.
    public var count: Int { workload.clients + (workload.badPeers ? GuessWorkload.BadPeer.allCases.count : 0) }

    /// Client `index`.
    public func unit(at index: Int) -> GuessClient {
        let role: GuessConversation.Role =
            index < workload.clients
            ? .player(workload.games(forClient: index))
            : .badPeer(GuessWorkload.BadPeer.allCases[index - workload.clients])
        return GuessClient(
            index: index,
            conversation: GuessConversation(
                role: role,
                server: server,
                random: workload.random,
                timeout: workload.timeout,
                origin: origin
            )
        )
    }
}

/// One client: it waits while its conversation with the server happens, then reports what it saw.
public struct GuessClient: WorkUnit {
    let index: Int
    let conversation: GuessConversation
    private var asked = false

    init(index: Int, conversation: GuessConversation) {
        self.index = index
        self.conversation = conversation
    }

    /// `batch 0, client 3`, or `batch 0, bad peer (disconnect midway)`.
    public var coordinates: UnitCoordinates {
        let name =
            switch conversation.role {
            case .player: "client \(index)"
            case .badPeer(let peer): "bad peer (\(peer.rawValue))"
            }
        return UnitCoordinates(phase: 0, index: index, phaseName: "batch", name: name)
    }

    /// Asks for the conversation, then returns its outcome.
    public mutating func advance() throws -> UnitStep<GuessOutcome> {
        guard asked else {
            asked = true
            return .wait(.external(step: "session", job: ExternalJob(conversation)))
        }
        return .finished(try conversation.outcome())
    }
}
