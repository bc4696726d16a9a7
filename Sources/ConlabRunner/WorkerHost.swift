import ConlabCore
import ConlabIO
public import ConlabScenario
import ConlabToolkit
import Foundation

/// The worker side of the process strategy: reads batches and unit indices from standard input, runs the
/// units, and answers on standard output (see ``WorkerMessage``).
public enum WorkerHost {
    /// Serves until standard input ends; returns the exit status.
    ///
    /// `willEnd` is told the status before the worker writes its last message (a refusal): the parent may
    /// close the worker's input as soon as it has read that message, and whatever ends the worker on that
    /// hang-up must end it with this status, not with a clean 0.
    ///
    /// The batches and pipelines it can rebuild are those the kinds in `workloads` declare
    /// (``ScenarioWorkload/portableBatches``, ``ScenarioWorkload/portablePipelines``).
    @available(*, noasync, message: "Blocks on standard input.")
    public static func serve(
        workloads: WorkloadRegistry,
        input: Int32 = 0,
        output: Int32 = 1,
        willEnd: (Int32) -> Void = { _ in }
    ) -> Int32 {
        var batch: (any PortableBatch)?
        var pipeline: (any PortablePipeline)?
        let progress = WorkerProgress.inherited()
        /// Answers a message the worker cannot take with a protocol error, and ends the conversation.
        func refuse(_ message: String) -> Int32 {
            willEnd(3)
            _ = WorkerMessage.protocolError(message).write(to: output)
            return 3
        }
        // The worker process's services, built here as the command line builds the parent's.
        let services: WaitServices
        do {
            services = try StandardServices().waits
        } catch {
            return refuse("the worker cannot make its services: \(error)")
        }
        while let message = WorkerMessage.read(from: input) {
            let reply: WorkerMessage
            switch message {
            case .batch(let kind, let payload) where workloads.portablePipeline(kind: kind) != nil:
                do {
                    pipeline = try JSONDecoder().decode(
                        workloads.portablePipeline(kind: kind)!,
                        from: Data(payload.utf8)
                    )
                } catch {
                    return refuse("cannot decode the pipeline: \(error)")
                }
                continue
            case .runStage(let stage, let item, let value):
                guard let pipeline, pipeline.stages.indices.contains(stage), (0..<pipeline.itemCount).contains(item)
                else {
                    return refuse("no stage \(stage), item \(item) in the current pipeline")
                }
                do {
                    let next = try runStage(pipeline, stage: stage, item: item, input: value, services: services)
                    reply = .output(index: item, payload: String(next))
                } catch {
                    reply = .failure(index: item, failure: error)
                }
            case .batch(let kind, let payload):
                guard let type = workloads.portableBatch(kind: kind) else {
                    return refuse("unknown batch kind '\(kind)'")
                }
                do {
                    batch = try JSONDecoder().decode(type, from: Data(payload.utf8))
                    progress?.unit = nil
                } catch {
                    return refuse("cannot decode \(kind): \(error)")
                }
                continue
            case .run(let first, let count):
                guard let batch, count > 0, first >= 0, first <= batch.count - count else {
                    // Not first + count: a count near Int.max would overflow, and a worker never traps on input.
                    return refuse("no \(count) units from \(first) in the current batch")
                }
                reply = run(batch, units: first..<first + count, progress: progress, services: services)
            default:
                return refuse("a worker only takes batch and run messages")
            }
            guard reply.write(to: output) else { return 0 }
        }
        return 0
    }

    /// The output of `item`'s unit in `stage` of `pipeline`, run on this thread. A worker process reports no
    /// unit timings: the run that started it is in another process.
    @available(*, noasync)
    private static func runStage<Work: PipelineWork>(
        _ pipeline: Work,
        stage: Int,
        item: Int,
        input: UInt64,
        services: WaitServices
    ) throws(UnitFailure) -> UInt64 {
        try pipeline.unit(stage: stage, item: item, input: input).runBlocking(using: services, reportingTo: nil)
    }

    /// Runs `units` in order, noting each in `progress` as it starts, and answers with all their outputs, or
    /// with the first failure.
    @available(*, noasync)
    private static func run<Batch: PortableBatch>(
        _ batch: Batch,
        units: Range<Int>,
        progress: WorkerProgress?,
        services: WaitServices
    ) -> WorkerMessage {
        let encoder = JSONEncoder()
        var payloads: [String] = []
        payloads.reserveCapacity(units.count)
        for index in units {
            progress?.unit = index
            do {
                let output = try batch.unit(at: index).runBlocking(using: services, reportingTo: nil)
                payloads.append(String(decoding: try encoder.encode(output), as: UTF8.self))
            } catch let failure as UnitFailure {
                return .failure(index: index, failure: failure)
            } catch {
                return .protocolError("cannot encode the output of unit \(index): \(error)")
            }
        }
        return .outputs(first: units.lowerBound, payloads: payloads)
    }
}
