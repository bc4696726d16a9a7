import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Synchronization
import Testing

@Suite("Unit timings reach the run through the strategy's context")
struct UnitTimingsTests {
    private func session(_ name: String, reportingTo counter: ReportCounter) async throws -> any StrategySession {
        let type = try #require(BuiltInStrategies.registry.strategy(named: name))
        return try await type.init(options: StrategyOptions()).makeSession(
            context: StrategyContext(seed: 1, cores: 2, services: TestServices.waits, unitTimings: counter)
        )
    }

    /// Every strategy whose units run in this process (`process` runs them in workers, which report none).
    static let strategies = ["serial", "thread", "queue", "pool", "async", "loop"]

    @Test("Each unit and each modelled wait of a phase reports to the context's sink", arguments: strategies)
    func phase(strategy: String) async throws {
        let counter = ReportCounter()
        let session = try await session(strategy, reportingTo: counter)
        _ = try await session.run(ThreadNameBatch(count: 20))
        await session.close()
        #expect(counter.counts == (20, 20), "\(strategy)")
    }

    @Test(
        "Each stage of each pipeline item reports to the context's sink",
        arguments: ["serial", "thread", "queue", "pool", "async"]
    )
    func pipeline(strategy: String) async throws {
        let work = PipelineWorkload(
            itemCount: 10,
            work: [
                .init(stage: PipelineStage(name: "fetch", workers: 2), io: IOModel(latency: .fixed(.milliseconds(1)))),
                .init(stage: PipelineStage(name: "store", workers: 2), io: IOModel(latency: .fixed(.milliseconds(1)))),
            ],
            buffer: nil,
            discipline: .blocking,
            random: CounterRandom(seed: 1)
        )
        let counter = ReportCounter()
        let session = try await session(strategy, reportingTo: counter)
        try await session.runPipeline(work, recorder: PipelineRecorder(items: 10, stages: 2))
        await session.close()
        #expect(counter.counts.units == 20, "\(strategy)")
    }

    @Test("Two sessions running at once each hear only their own units: there is no process-wide sink")
    func sessionsApart() async throws {
        let (first, second) = (ReportCounter(), ReportCounter())
        let (async, serial) = (
            try await session("async", reportingTo: first), try await session("serial", reportingTo: second)
        )
        async let one = async.run(ThreadNameBatch(count: 30))
        async let other = serial.run(ThreadNameBatch(count: 7))
        _ = try await (one, other)
        await async.close()
        await serial.close()
        #expect(first.counts == (30, 30))
        #expect(second.counts == (7, 7))
    }
}
