public import ConlabCore
import ConlabLatency
public import ConlabScenario

extension GuessWorkload: ScenarioWorkload {
    /// `guess`.
    public static let kind = "guess"
    /// Phases of client sessions.
    public static let traits = WorkloadTraits.phased(GuessWorkload.self)

    /// Itself.
    public func runnable(seed: UInt64) -> RunnableWorkload { .phased(self) }

    /// `1 client × 2 sessions against the async server`.
    public func summary(seed: UInt64) -> String {
        "\(clients) client\(clients == 1 ? "" : "s") × \(sessions) session"
            + "\(sessions == 1 ? "" : "s") against the \(server.rawValue) server"
            + (badPeers ? ", with 3 bad peers" : "")
    }

    /// One client: its moves, printed as the seed's `main` does.
    public func frames<Frame>(of states: [Frame]) -> [String]? {
        guard clients == 1, let outcome = (states.last as? State)?.outcomes.first else { return nil }
        return [outcome.transcripts.joined().map { "Client: \($0)" }.joined(separator: "\n")]
    }

    /// Sessions, their rate and latency, and what the server accepted and refused.
    public static func summaryLines(_ results: [WorkloadResult]) -> [String] {
        results.compactMap { result in
            let metrics = result.figures
            guard let sessions = metrics["sessions"], let rate = metrics["sessions_per_second"] else { return nil }
            var line =
                "\(result.label): \(Int(sessions)) sessions, \(DurationFormat.fixed(rate, 0)) sessions/s, session p50 "
                + DurationFormat.human(metrics["session_p50_seconds"] ?? 0) + ", p90 "
                + DurationFormat.human(metrics["session_p90_seconds"] ?? 0) + ", p99 "
                + DurationFormat.human(metrics["session_p99_seconds"] ?? 0)
            if let connections = metrics["server_connections"], connections > 0 {
                line += "; the server accepted \(Int(connections)) connection\(connections == 1 ? "" : "s")"
                let refusals = Int(metrics["server_refusals"] ?? 0)
                if refusals > 0 { line += " and refused \(refusals) bad peer\(refusals == 1 ? "" : "s") with an error" }
            }
            return line
        }
    }

    /// Reads `server`, `clients`, `sessions`, `bad_peers` and `timeout`.
    public static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> GuessWorkload? {
        let server = mapping.required("server", form: "threaded or async").flatMap {
            reader.choice($0, "workload.server", as: GuessWorkload.ServerKind.self)
        }
        let clients = mapping.optional("clients").map { reader.integer($0, "workload.clients", in: 1...1000) } ?? 1
        let sessions =
            mapping.optional("sessions").map { reader.integer($0, "workload.sessions", in: 1...1_000_000) } ?? 2
        let badPeers = mapping.optional("bad_peers").map { reader.bool($0, "workload.bad_peers") } ?? false
        let timeout =
            mapping.optional("timeout").map { reader.duration($0, "workload.timeout", positive: true) } ?? .seconds(5)
        guard let server, let clients, let sessions, let badPeers, let timeout else { return nil }
        return GuessWorkload(
            server: server,
            clients: clients,
            sessions: sessions,
            badPeers: badPeers,
            timeout: timeout,
            random: CounterRandom(seed: seed)
        )
    }
}
