public import ConlabCore
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the process strategy and its worker processes say to each other: JSON, each message prefixed
/// with its length as 4 bytes, big-endian (the shape of package-benchmark's tool/benchmark protocol).
public enum WorkerMessage: Codable, Sendable {
    /// Parent → worker: the batch of the coming phase, as JSON text.
    case batch(kind: String, payload: String)
    /// Parent → worker: run units `first..<first + count` of the current batch, in order; the answer is one
    /// `outputs` for them all, or a `failure` for the first that fails (the rest are not run).
    case run(first: Int, count: Int)
    /// Parent → worker: run stage `stage` of the current pipeline for `item`, which arrives with `input`;
    /// the answer is an `output` whose payload is the item's next value.
    case runStage(stage: Int, item: Int, input: UInt64)
    /// Worker → parent: the output of pipeline item `index`'s stage, as text.
    case output(index: Int, payload: String)
    /// Worker → parent: the outputs of units `first..<first + payloads.count`, each as JSON text.
    case outputs(first: Int, payloads: [String])
    /// Worker → parent: the unit failed.
    case failure(index: Int, failure: UnitFailure)
    /// Worker → parent: the message could not be understood; the worker exits after it.
    case protocolError(String)

    /// Writes the message to `descriptor`; `false` when the other side has gone.
    @available(*, noasync, message: "Blocks on the pipe.")
    public func write(to descriptor: Int32) -> Bool {
        guard let body = try? JSONEncoder().encode(self) else { return false }
        let length = UInt32(body.count).bigEndian
        let frame = withUnsafeBytes(of: length) { Data($0) } + body
        return frame.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return false }
                offset += written
            }
            return true
        }
    }

    /// Reads one message from `descriptor`; `nil` at end of file, or when the frame is not a message.
    @available(*, noasync, message: "Blocks on the pipe.")
    public static func read(from descriptor: Int32) -> WorkerMessage? {
        guard let header = readExactly(4, from: descriptor) else { return nil }
        let length = header.withUnsafeBytes { UInt32(bigEndian: $0.loadUnaligned(as: UInt32.self)) }
        guard length <= 1 << 30, let body = readExactly(Int(length), from: descriptor) else { return nil }
        return try? JSONDecoder().decode(WorkerMessage.self, from: body)
    }

    private static func readExactly(_ count: Int, from descriptor: Int32) -> Data? {
        var data = Data(count: count)
        var offset = 0
        let complete = data.withUnsafeMutableBytes { bytes in
            while offset < count {
                let got = Glibc.read(descriptor, bytes.baseAddress! + offset, count - offset)
                if got < 0 && errno == EINTR { continue }
                guard got > 0 else { return false }
                offset += got
            }
            return true
        }
        return complete ? data : nil
    }
}
