import ConlabCore
import ConlabWorkloads
import Foundation

/// The worker side of the process strategy: reads batches and unit indices from standard input, runs the
/// units, and answers on standard output (see ``WorkerMessage``).
public enum WorkerHost {
    /// The batch types a worker can rebuild, by kind.
    static let decoders: [String: @Sendable (Data) throws -> any PortableBatch] = [
        LifeGeneration.batchKind: { try JSONDecoder().decode(LifeGeneration.self, from: $0) },
        CPUBatch.batchKind: { try JSONDecoder().decode(CPUBatch.self, from: $0) },
        SubprocessBatch.batchKind: { try JSONDecoder().decode(SubprocessBatch.self, from: $0) },
    ]

    /// Serves until standard input ends; returns the exit status.
    @available(*, noasync, message: "Blocks on standard input.")
    public static func serve(input: Int32 = 0, output: Int32 = 1) -> Int32 {
        var batch: (any PortableBatch)?
        var pipeline: PipelineWorkload?
        let progress = WorkerProgress.inherited()
        while let message = WorkerMessage.read(from: input) {
            let reply: WorkerMessage
            switch message {
            case .batch(PipelineWorkload.pipelineKind, let payload):
                do {
                    pipeline = try JSONDecoder().decode(PipelineWorkload.self, from: Data(payload.utf8))
                } catch {
                    _ = WorkerMessage.protocolError("cannot decode the pipeline: \(error)").write(to: output)
                    return 3
                }
                continue
            case .runStage(let stage, let item, let value):
                guard let pipeline, pipeline.stages.indices.contains(stage), (0..<pipeline.itemCount).contains(item)
                else {
                    _ = WorkerMessage.protocolError("no stage \(stage), item \(item) in the current pipeline").write(
                        to: output
                    )
                    return 3
                }
                do {
                    let next = try pipeline.unit(stage: stage, item: item, input: value).runBlocking()
                    reply = .output(index: item, payload: String(next))
                } catch {
                    reply = .failure(index: item, failure: error)
                }
            case .batch(let kind, let payload):
                guard let decode = decoders[kind] else {
                    _ = WorkerMessage.protocolError("unknown batch kind '\(kind)'").write(to: output)
                    return 3
                }
                do {
                    batch = try decode(Data(payload.utf8))
                    progress?.unit = nil
                } catch {
                    _ = WorkerMessage.protocolError("cannot decode \(kind): \(error)").write(to: output)
                    return 3
                }
                continue
            case .run(let first, let count):
                guard let batch, count > 0, first >= 0, first <= batch.count - count else {
                    // Not first + count: a count near Int.max would overflow, and a worker never traps on input.
                    _ = WorkerMessage.protocolError("no \(count) units from \(first) in the current batch").write(
                        to: output
                    )
                    return 3
                }
                reply = run(batch, units: first..<first + count, progress: progress)
            default:
                _ = WorkerMessage.protocolError("a worker only takes batch and run messages").write(to: output)
                return 3
            }
            guard reply.write(to: output) else { return 0 }
        }
        return 0
    }

    /// Runs `units` in order, noting each in `progress` as it starts, and answers with all their outputs, or
    /// with the first failure.
    @available(*, noasync)
    private static func run<Batch: PortableBatch>(
        _ batch: Batch,
        units: Range<Int>,
        progress: WorkerProgress?
    ) -> WorkerMessage {
        let encoder = JSONEncoder()
        var payloads: [String] = []
        payloads.reserveCapacity(units.count)
        for index in units {
            progress?.unit = index
            do {
                let output = try batch.unit(at: index).runBlocking()
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
