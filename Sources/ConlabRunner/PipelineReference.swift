import ConlabCore
import ConlabLog
import ConlabToolkit

/// The serial reference of a pipeline: every item through every stage, in order, without waiting.
struct PipelineReference: Sendable {
    /// Each item's final value (`nil` where one of its stages fails).
    private(set) var values: [UInt64?] = []
    /// What each item waits in each stage, one step per stage.
    private(set) var profile = PhaseProfile()
    /// The first failing unit in serial order (item by item, stage by stage).
    private(set) var failure: UnitFailure?
    private var failing: Set<[Int]> = []

    init<Work: PipelineWork>(_ work: Work) {
        for item in 0..<work.itemCount {
            profile.startUnit()
            var value: UInt64? = work.source(item: item)
            for stage in work.stages.indices {
                guard let input = value else { break }
                let result = work.unit(stage: stage, item: item, input: input).runInstantly { wait in
                    profile.record(step: wait.step, duration: wait.duration)
                }
                switch result {
                case .success(let output): value = output
                case .failure(let unitFailure):
                    failure = failure ?? unitFailure
                    failing.insert([stage, item])
                    value = nil
                }
            }
            values.append(value)
        }
    }

    /// Whether every stage of `work` has one worker, so items must leave in the order they entered.
    static func keepsOrder(_ work: some PipelineWork) -> Bool { work.stages.allSatisfy { $0.workers == 1 } }

    /// Whether the unit of `item` in `stage` fails in the reference.
    func fails(stage: Int, item: Int) -> Bool { failing.contains([stage, item]) }

    /// What is wrong with a strategy's deliveries, or `nil` when every item left once with its value.
    func problem(with recorded: PipelineRecorder.State, keepsOrder: Bool) -> String? {
        if let item = recorded.deliveries.firstIndex(where: { $0 != 1 }) {
            let missing = recorded.deliveries.filter { $0 == 0 }.count
            let repeated = recorded.deliveries.filter { $0 > 1 }.count
            return "items in ≠ items out: \(missing) lost, \(repeated) delivered more than once (first: item \(item))"
        }
        if let item = values.indices.first(where: { values[$0] != recorded.values[$0] }) {
            return "item \(item) left with a value that differs from the serial reference"
        }
        if keepsOrder, let position = recorded.order.indices.first(where: { recorded.order[$0] != $0 }) {
            return
                "with one worker per stage items must leave in order; position \(position) holds item \(recorded.order[position])"
        }
        return nil
    }

    /// The figures of a run.
    static func figures<Work: PipelineWork>(
        _ recorded: PipelineRecorder.State,
        work: Work,
        seconds: Double
    ) -> PipelineFigures {
        let latencies = recorded.latencies.map(\.inSeconds).sorted()
        var utilisation: [String: Double] = [:]
        var depths: [String: Int] = [:]
        for (index, stage) in work.stages.enumerated() {
            utilisation[stage.name] =
                seconds > 0 ? recorded.busy[index].inSeconds / (Double(stage.workers) * seconds) : 0
            depths[stage.name] = recorded.maximumDepths[index]
        }
        var digest = SHA256()
        for value in recorded.values {
            digest.update(value.map { String($0, radix: 16) } ?? "-")
            digest.update("\n")
        }
        return PipelineFigures(
            items: work.itemCount,
            itemsPerSecond: seconds > 0 ? Double(recorded.order.count) / seconds : 0,
            latencyP50Seconds: PipelineFigures.quantile(latencies, 0.5),
            latencyP90Seconds: PipelineFigures.quantile(latencies, 0.9),
            latencyP99Seconds: PipelineFigures.quantile(latencies, 0.99),
            latencyMaxSeconds: latencies.last ?? 0,
            stageUtilisation: utilisation,
            maxQueueDepth: depths,
            polls: recorded.polls,
            emptyPolls: recorded.emptyPolls,
            orderKept: keepsOrder(work) ? recorded.order == Array(0..<recorded.order.count) : nil,
            outputSHA256: digest.finalizeHex()
        )
    }
}
