import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Testing

@Suite("A cancelled async pipeline")
struct AsyncPipelineCancellationTests {
    /// Two stages of 10 s waits: when the run is cancelled, the first stage's worker is in its wait and the
    /// second stage's is suspended on its empty queue, waiting for an item that will never come.
    private let work = PipelineWorkload(
        itemCount: 4,
        work: [
            .init(stage: PipelineStage(name: "fetch", workers: 1), io: IOModel(latency: .fixed(.seconds(10)))),
            .init(stage: PipelineStage(name: "store", workers: 1), io: IOModel(latency: .fixed(.seconds(10)))),
        ],
        buffer: 1,
        discipline: .blocking,
        random: CounterRandom(seed: 1)
    )

    @Test("returns at once when cancelled, with no worker left waiting on a queue (it hung after SIGTERM)")
    func returnsWhenCancelled() async throws {
        let type = try #require(BuiltInStrategies.registry.strategy(named: "async"))
        let session = try await type.init(options: StrategyOptions()).makeSession(
            context: StrategyContext(seed: 1, cores: 2, services: TestServices.waits)
        )
        let returned = Mutexed<Bool>()
        let run = Task { [work] in
            defer { returned.set(true) }
            try await session.runPipeline(work, recorder: PipelineRecorder(items: 4, stages: 2))
        }
        try await Task.sleep(for: .milliseconds(200))
        run.cancel()
        // Polled, not awaited: a pipeline that hangs must fail this test, not hang it. Returning takes
        // milliseconds; ten seconds is the first wait's own length, far beyond any load's delay.
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(10)
        while !returned.isSet && clock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(returned.isSet, "the pipeline was still running 10 s after its cancellation")
        if returned.isSet {
            await #expect(throws: CancellationError.self) { try await run.value }
            await session.close()
        }
    }
}
