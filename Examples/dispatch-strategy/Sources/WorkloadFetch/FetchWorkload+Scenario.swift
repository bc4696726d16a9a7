public import ConlabCore
import ConlabLatency
public import ConlabScenario

extension FetchWorkload: ScenarioWorkload {
    /// `fetch`, as scenario files write `workload.kind`.
    public static let kind = "fetch"
    /// Phases of units, portable to worker processes (read from ``FetchBatch``).
    public static let traits = WorkloadTraits.phased(FetchWorkload.self)
    /// What a worker process decodes.
    public static let portableBatches: [any PortableBatch.Type] = [FetchBatch.self]

    /// Reads `pages`, `rounds` and `io` (`latency`, and optionally `failure_rate` and `timeout`).
    public static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> FetchWorkload? {
        let pages = mapping.required("pages", form: "how many pages each round fetches").flatMap {
            reader.integer($0, mapping.path("pages"), in: 1...100_000)
        }
        let rounds = mapping.optional("rounds").map { reader.integer($0, mapping.path("rounds"), in: 1...1000) } ?? 1
        let io = mapping.required("io", form: "a mapping with 'latency'").flatMap { node -> IOModel? in
            guard let io = reader.mapping(node, mapping.path("io")) else { return nil }
            defer { io.finish() }
            return IOModelReader.read(io, reader: reader)
        }
        guard let pages, let rounds, let io else { return nil }
        return FetchWorkload(pages: pages, rounds: rounds, io: io, random: CounterRandom(seed: seed))
    }

    /// Itself.
    public func runnable(seed: UInt64) -> RunnableWorkload { .phased(self) }

    /// `20 pages × 3 rounds, fixed 10ms each`.
    public func summary(seed: UInt64) -> String {
        "\(pages) pages × \(rounds) round\(rounds == 1 ? "" : "s"), \(io.summary) each; seed \(seed)"
    }
}
