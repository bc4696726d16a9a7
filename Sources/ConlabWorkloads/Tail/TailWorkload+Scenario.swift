public import ConlabCore
import ConlabLatency
public import ConlabScenario

extension TailWorkload: ScenarioWorkload {
    /// `tail`.
    public static let kind = "tail"
    /// Phases of writers and tailers.
    public static let traits = WorkloadTraits.phased(TailWorkload.self)

    /// Itself.
    public func runnable(seed: UInt64) -> RunnableWorkload { .phased(self) }

    /// `3 writer threads × 100 lines, pause fixed 1ms; tailers poll every 5ms`.
    public func summary(seed: UInt64) -> String {
        "\(files) writer threads × \(lines) lines, pause \(pause.summary); "
            + "tailers poll every \(DurationFormat.short(poll))"
    }

    /// Lines merged by each correct run, and how long a line took from write to merge.
    public static func summaryLines(_ results: [WorkloadResult]) -> [String] {
        results.compactMap { result in
            let metrics = result.figures
            guard let merged = metrics["lines_merged"], result.correct else { return nil }
            return "\(result.label): \(Int(merged)) lines merged, each exactly once; from write to merge p50 "
                + DurationFormat.human(metrics["tail_lag_p50_seconds"] ?? 0) + ", p99 "
                + DurationFormat.human(metrics["tail_lag_p99_seconds"] ?? 0)
        }
    }

    /// Reads `files`, `lines`, `pause`, `poll` and `timeout`.
    public static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> TailWorkload? {
        let files = mapping.required("files", form: "how many files, each with a writer thread").flatMap {
            reader.integer($0, "workload.files", in: 1...100)
        }
        let lines = mapping.required("lines", form: "lines each writer writes").flatMap {
            reader.integer($0, "workload.lines", in: 1...100_000)
        }
        let pause = mapping.required("pause", form: "a duration such as 5ms, or a latency model").flatMap {
            LatencyModelReader.read($0, path: mapping.path("pause"), reader: reader)
        }
        let poll = mapping.required("poll", form: "a tailer's pause when it finds nothing new, e.g. 10ms").flatMap {
            reader.duration($0, "workload.poll", positive: true)
        }
        let timeout =
            mapping.optional("timeout").map { reader.duration($0, "workload.timeout", positive: true) } ?? .seconds(60)
        guard let files, let lines, let pause, let poll, let timeout else { return nil }
        return TailWorkload(
            files: files,
            lines: lines,
            pause: pause,
            poll: poll,
            timeout: timeout,
            random: CounterRandom(seed: seed)
        )
    }
}
