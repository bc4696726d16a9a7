import ConlabCore
import ConlabToolkit

/// A phase split into one contiguous share per event loop; the outputs joined in unit order.
final class LoopSession: StrategySession {
    private let loops: [EventLoop]
    /// What the waits the loops cannot time themselves are performed with.
    private let services: WaitServices
    /// Where the units report their timings.
    private let unitTimings: (any UnitTimings.Sink)?

    /// Starts `count` loop threads; their units report to `unitTimings`.
    init(loops count: Int, services: WaitServices, unitTimings: (any UnitTimings.Sink)?) throws {
        self.services = services
        self.unitTimings = unitTimings
        var loops: [EventLoop] = []
        do {
            for number in 1...count { loops.append(try EventLoop(name: "conlab-loop-\(number)", core: number - 1)) }
        } catch {
            for loop in loops { loop.stop() }
            throw error
        }
        self.loops = loops
    }

    var concurrency: Int? { nil }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        let count = batch.count
        guard count > 0 else { return [] }
        let shares = (0..<loops.count).map { loop in
            (count * loop / loops.count)..<(count * (loop + 1) / loops.count)
        }
        let stop = LoopStop(doorbells: loops.map(\.doorbell))
        let sink = unitTimings
        let services = self.services
        let results = await withTaskCancellationHandler {
            await withTaskGroup(of: (Int, Result<[Batch.Unit.Output], any Error>).self) { group in
                for (index, share) in shares.enumerated() where !share.isEmpty {
                    let loop = loops[index]
                    group.addTask {
                        let result = await loop.perform { () -> Result<[Batch.Unit.Output], any Error> in
                            var driver = LoopDriver(
                                batch: batch,
                                range: share,
                                doorbell: loop.doorbell,
                                stop: stop,
                                services: services,
                                sink: sink
                            )
                            do {
                                return .success(try driver.run())
                            } catch let failure as UnitFailure {
                                stop.raise(.failed(failure))
                                return .failure(failure)
                            } catch {
                                return .failure(error)
                            }
                        }
                        return (index, result)
                    }
                }
                var results: [(Int, Result<[Batch.Unit.Output], any Error>)] = []
                for await result in group { results.append(result) }
                return results.sorted { $0.0 < $1.0 }.map(\.1)
            }
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

    func close() async {
        let loops = self.loops
        _ = try? await OSThread.run(name: "conlab-loop-stop") { _ in
            for loop in loops { loop.stop() }
        }
    }
}
