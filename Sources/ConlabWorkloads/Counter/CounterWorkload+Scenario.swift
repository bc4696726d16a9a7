public import ConlabCore
public import ConlabScenario

extension CounterWorkload: ScenarioWorkload {
    /// `counter`.
    public static let kind = "counter"
    /// Phases of increments.
    public static let traits = WorkloadTraits.phased(CounterWorkload.self)

    /// Itself.
    public func runnable(seed: UInt64) -> RunnableWorkload { .phased(self) }

    /// `4 workers × 100000 increments of one counter, sync: lock`.
    public func summary(seed: UInt64) -> String {
        "\(workers) workers × \(increments) increments of one counter, sync: \(sync.rawValue)"
    }

    /// Item 54's lesson: how many updates each run lost.
    public static func summaryLines(_ results: [WorkloadResult]) -> [String] {
        results.compactMap { result in
            guard let lost = result.figures["lost_updates"], let expected = result.figures["expected"] else {
                return nil
            }
            let found = result.figures["found"] ?? 0
            return "\(result.label): counter should be \(Int(expected)), got \(Int(found)): \(Int(lost)) lost updates"
        }
    }

    /// Reads `workers`, `increments` and `sync`.
    public static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> CounterWorkload? {
        let workers = mapping.required("workers", form: "how many workers share the counter").flatMap {
            reader.integer($0, "workload.workers", in: 1...10_000)
        }
        let increments = mapping.required("increments", form: "increments per worker").flatMap {
            reader.integer($0, "workload.increments", in: 1...100_000_000)
        }
        let sync = mapping.required("sync", form: "none, lock, atomic or actor").flatMap {
            reader.choice($0, "workload.sync", as: CounterWorkload.Sync.self)
        }
        guard let workers, let increments, let sync else { return nil }
        return CounterWorkload(workers: workers, increments: increments, sync: sync)
    }
}
