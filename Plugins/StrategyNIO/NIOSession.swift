import ConlabCore
import NIOCore
import NIOPosix

/// A `MultiThreadedEventLoopGroup` kept for the session: each phase split into one contiguous share per
/// loop, the outputs joined in unit order; each pipeline run on the group's next loop.
final class NIOSession: StrategySession {
    private let group: MultiThreadedEventLoopGroup
    private let loops: [any EventLoop]
    /// Whether a phase's waits are scheduled callbacks rather than scheduled tasks.
    private let callbacks: Bool
    /// What the waits the loops cannot time themselves are performed with.
    private let services: WaitServices
    /// Where the units report their timings.
    private let unitTimings: (any UnitTimings.Sink)?

    /// Starts a group of `loops` event loop threads; units report to `unitTimings`.
    ///
    /// The threads are NIO's as NIO makes them: their timer slack is left alone, because Linux does not
    /// stretch a `timerfd`'s expiry by it (each loop sleeps in `epoll_wait` with no timeout of its own until
    /// its `timerfd` fires), and loops whose slack was set to a nanosecond measured no more punctual.
    init(loops count: Int, callbacks: Bool, services: WaitServices, unitTimings: (any UnitTimings.Sink)?) {
        self.callbacks = callbacks
        group = MultiThreadedEventLoopGroup(numberOfThreads: count)
        loops = Array(group.makeIterator())
        self.services = services
        self.unitTimings = unitTimings
    }

    var concurrency: Int? { nil }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        let count = batch.count
        guard count > 0 else { return [] }
        let stop = NIOPhaseStop()
        let services = self.services
        let sink = unitTimings
        let callbacks = self.callbacks
        var futures: [EventLoopFuture<[Batch.Unit.Output]>] = []
        for (index, loop) in loops.enumerated() {
            let share = (count * index / loops.count)..<(count * (index + 1) / loops.count)
            guard !share.isEmpty else { continue }
            let promise = loop.makePromise(of: [Batch.Unit.Output].self)
            futures.append(promise.futureResult)
            loop.execute {
                NIOPhaseShare(
                    batch: batch,
                    range: share,
                    loop: loop,
                    promise: promise,
                    stop: stop,
                    callbacks: callbacks,
                    services: services,
                    sink: sink
                ).start()
            }
        }
        let results = await withTaskCancellationHandler {
            var results: [Result<[Batch.Unit.Output], any Error>] = []
            for future in futures {
                do {
                    results.append(.success(try await future.get()))
                } catch {
                    results.append(.failure(error))
                }
            }
            return results
        } onCancel: {
            stop.raise(.cancelled)
        }
        // The first cause decides: a loop stopped by another's failure reports that failure.
        switch stop.cause {
        case .failed(let failure): throw failure
        case .cancelled: throw CancellationError()
        case nil: break
        }
        var outputs: [Batch.Unit.Output] = []
        outputs.reserveCapacity(count)
        for result in results { outputs += try result.get() }
        return outputs
    }

    func runPipeline<Work: PipelineWork>(_ work: Work, recorder: PipelineRecorder) async throws {
        let loop = group.next()
        let promise = loop.makePromise(of: Void.self)
        let services = self.services
        let sink = unitTimings
        let halt = NIOPhaseStop()
        loop.execute {
            let run = NIOPipelineRun(
                work: work,
                loop: loop,
                promise: promise,
                recorder: recorder,
                services: services,
                sink: sink
            )
            let bound = NIOLoopBound(run, eventLoop: loop)
            halt.onRaise { loop.execute { bound.value.halt() } }
            run.start()
        }
        try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            halt.raise(.cancelled)
        }
    }

    /// Shuts the group down: `shutdownGracefully()` returns once every loop has run its last task and
    /// its thread has been joined, without blocking a thread of the cooperative pool (the blocking
    /// `syncShutdownGracefully` may not be called from an async context, nor from a loop).
    func close() async {
        try? await group.shutdownGracefully()
    }
}
