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
        while let message = WorkerMessage.read(from: input) {
            let reply: WorkerMessage
            switch message {
            case .batch(let kind, let payload):
                guard let decode = decoders[kind] else {
                    _ = WorkerMessage.protocolError("unknown batch kind '\(kind)'").write(to: output)
                    return 3
                }
                do {
                    batch = try decode(Data(payload.utf8))
                } catch {
                    _ = WorkerMessage.protocolError("cannot decode \(kind): \(error)").write(to: output)
                    return 3
                }
                continue
            case .run(let index):
                guard let batch, (0..<batch.count).contains(index) else {
                    _ = WorkerMessage.protocolError("no unit \(index) in the current batch").write(to: output)
                    return 3
                }
                reply = run(batch, index: index)
            default:
                _ = WorkerMessage.protocolError("a worker only takes batch and run messages").write(to: output)
                return 3
            }
            guard reply.write(to: output) else { return 0 }
        }
        return 0
    }

    @available(*, noasync)
    private static func run<Batch: PortableBatch>(_ batch: Batch, index: Int) -> WorkerMessage {
        do {
            let output = try batch.unit(at: index).runBlocking()
            return .output(index: index, payload: String(decoding: try JSONEncoder().encode(output), as: UTF8.self))
        } catch let failure as UnitFailure {
            return .failure(index: index, failure: failure)
        } catch {
            return .protocolError("cannot encode the output of unit \(index): \(error)")
        }
    }
}
