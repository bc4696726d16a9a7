import ConlabCore
public import ConlabScenario

extension PipelineSpec {
    /// Reads `items`, `workers`, `buffer`, `discipline`, `poll_interval` and `stages`.
    public static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> PipelineSpec? {
        let items = mapping.required("items", form: "how many items enter the pipeline").flatMap {
            reader.integer($0, "workload.items", in: 1...10_000_000)
        }
        let defaultWorkers =
            mapping.optional("workers").map { reader.integer($0, "workload.workers", in: 1...4096) } ?? 1
        var buffer: Int?? = .some(nil)
        if let node = mapping.optional("buffer"), reader.scalarText(node) != "unbounded" {
            if let text = reader.scalarText(node), let capacity = Int(text), (1...10_000_000).contains(capacity) {
                buffer = .some(capacity)
            } else {
                reader.expected(node, "workload.buffer", "a whole number from 1 to 10000000, or unbounded")
                buffer = .none
            }
        }
        let interval =
            mapping.optional("poll_interval").map { reader.duration($0, "workload.poll_interval", positive: true) }
            ?? .milliseconds(10)
        var discipline: QueueDiscipline? = .blocking
        if let node = mapping.optional("discipline") {
            switch reader.scalarText(node) {
            case "blocking": discipline = .blocking
            case "polling": discipline = interval.map { .polling(interval: $0) }
            default:
                reader.expected(node, "workload.discipline", "blocking or polling")
                discipline = nil
            }
        }
        let stagesNode = mapping.required("stages", form: "a list of stages with 'name' and 'latency' and/or 'cpu'")
        var stages: [PipelineWorkload.StageWork]?
        if let stagesNode, let list = reader.sequence(stagesNode, "workload.stages", form: "a list of stages") {
            stages = []
            var names: Set<String> = []
            for (index, node) in list.enumerated() {
                let path = "workload.stages.\(index)"
                guard let stage = reader.mapping(node, path) else {
                    stages = nil
                    continue
                }
                defer { stage.finish() }
                let name = stage.required("name", form: "the stage's name, e.g. download").flatMap {
                    reader.string($0, stage.path("name"))
                }
                if let name, !names.insert(name).inserted || name.isEmpty {
                    reader.report(
                        stage.optional("name"),
                        stage.path("name"),
                        "expected a unique, non-empty stage name, found \(NodeReader.quoted(name))"
                    )
                }
                let workers =
                    stage.optional("workers").map { reader.integer($0, stage.path("workers"), in: 1...4096) }
                    ?? defaultWorkers
                let io = stage.keys.contains("latency") ? IOModelReader.read(stage, reader: reader) : nil
                if !stage.keys.contains("latency") {
                    _ = stage.optional("failure_rate").map {
                        reader.report($0, stage.path("failure_rate"), "expected 'latency' next to 'failure_rate'")
                    }
                    _ = stage.optional("timeout").map {
                        reader.report($0, stage.path("timeout"), "expected 'latency' next to 'timeout'")
                    }
                }
                let cpu = stage.optional("cpu").map { reader.duration($0, stage.path("cpu")) } ?? .zero
                if !stage.keys.contains("latency") && !stage.keys.contains("cpu") {
                    reader.report(node, path, "expected 'latency' and/or 'cpu': a stage must do some work")
                }
                guard let name, let workers, let cpu, stages != nil, io != nil || !stage.keys.contains("latency") else {
                    stages = nil
                    continue
                }
                stages?.append(.init(stage: PipelineStage(name: name, workers: workers), io: io, cpu: cpu))
            }
            if list.isEmpty {
                reader.report(stagesNode, "workload.stages", "expected at least one stage, found an empty list")
                stages = nil
            }
        }
        guard let items, let buffer, let discipline, let stages, !stages.isEmpty else { return nil }
        return PipelineSpec(items: items, stages: stages, buffer: buffer, discipline: discipline)
    }
}
