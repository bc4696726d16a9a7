import ConlabCore
import ConlabIO
import ConlabToolkit
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The files of one item-62 run and the threads writing them: each writer thread appends its lines to
/// its own file with a pause drawn from the seed before each, the way the book's `write_random_data`
/// does. Tailers merge what they read into one output file through ``merge(_:file:index:)``.
///
/// Started by the first tailer that needs it (the serial reference writes nothing) and finished once,
/// when the run ends or the batch is released: writers joined, the merged output read back. The files are
/// anonymous (``AnonymousFile``, in `$TMPDIR`): they have no name to remove, and the kernel frees them
/// with their last descriptor, so a tailer that timed out, an interrupted run or a killed process leaves
/// nothing behind.
final class TailWriters: Sendable {
    /// What one run wrote, merged and measured.
    struct Outcome: Sendable {
        /// The merged output's lines, in the order they were merged.
        var merged: [String]
        /// Per line, seconds from its write to its merge.
        var lagSeconds: [Double]
        /// The first write that failed, if any.
        var failure: String?
    }

    private enum State {
        case idle
        case running(inputs: [AnonymousFile], writers: [OSThread])
        case finished
    }

    private struct Progress {
        /// Per file, when each line was written.
        var written: [[ContinuousClock.Instant]]
        /// Per merged line, its write-to-merge lag.
        var lagSeconds: [Double] = []
        var failure: String?
        /// Per file, whether its writer has written its last line.
        var done: [Bool]
        /// The merged output, once open.
        var output: AnonymousFile?
    }

    let lines: [[String]]
    private let pauses: [[Duration]]
    private let state = Mutex(State.idle)
    private let progress: Mutex<Progress>

    /// Writers for `lines[file]`, pausing `pauses[file][line]` before each line.
    init(lines: [[String]], pauses: [[Duration]]) {
        self.lines = lines
        self.pauses = pauses
        progress = Mutex(Progress(written: lines.map { _ in [] }, done: lines.map { _ in false }))
    }

    deinit { _ = finish() }

    /// The file writer `file` appends to, starting the writers if they are not running yet.
    func input(_ file: Int) throws -> AnonymousFile {
        try state.withLock { state in
            switch state {
            case .running(let inputs, _):
                return inputs[file]
            case .finished:
                throw LoopbackSocket.Failure("open (the run has finished)", code: EBADF)
            case .idle:
                let output = try AnonymousFile()
                let inputs = try lines.indices.map { _ in try AnonymousFile() }
                let writers = try inputs.enumerated().map { file, input in
                    try OSThread.spawn(name: "tail-writer-\(file)", stackSize: 128 * 1024) { [self] in
                        write(file: file, to: input)
                    }
                }
                // Lock order: state, then progress (merge takes only progress).
                progress.withLock { $0.output = output }
                state = .running(inputs: inputs, writers: writers)
                return inputs[file]
            }
        }
    }

    /// Whether writer `file` has written its last line.
    func isDone(_ file: Int) -> Bool { progress.withLock { $0.done[file] } }

    /// Appends `line` (read from `file`) to the merged output — one `write(2)` under the lock, like the
    /// book's `write` under its `Lock` — and records how long after its write it arrived.
    func merge(_ line: String, file: Int, index: Int) {
        let arrived = ContinuousClock.now
        progress.withLock { progress in
            if let output = progress.output {
                var bytes = Array((line + "\n").utf8)
                if Glibc.write(output.descriptor, &bytes, bytes.count) != bytes.count, progress.failure == nil {
                    progress.failure = "writing the merged output: errno \(errno)"
                }
            }
            let written = progress.written[file]
            if index < written.count { progress.lagSeconds.append((arrived - written[index]).inSeconds) }
        }
    }

    /// Joins the writers and reads the merged output back; `nil` when never started.
    func finish() -> Outcome? {
        let writers: [OSThread]? = state.withLock { state in
            defer { state = .finished }
            guard case .running(_, let writers) = state else { return nil }
            return writers
        }
        guard let writers else { return nil }
        for writer in writers { writer.join() }
        let output = progress.withLock { $0.output.take() }
        var merged: [String] = []
        var failure: String?
        do {
            if let bytes = try output?.contents() {
                merged = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
            }
        } catch {
            failure = "reading the merged output: \(error)"
        }
        return progress.withLock {
            Outcome(merged: merged, lagSeconds: $0.lagSeconds, failure: $0.failure ?? failure)
        }
    }

    /// The writer thread of `file`.
    @available(*, noasync)
    private func write(file: Int, to input: AnonymousFile) {
        // The file stays open: its tailer reads it after the writer is done.
        defer { progress.withLock { $0.done[file] = true } }
        for (index, line) in lines[file].enumerated() {
            BlockingSleep.sleep(for: pauses[file][index])
            var bytes = Array((line + "\n").utf8)
            // Recorded first: a tailer may read the line the moment it is written.
            progress.withLock { $0.written[file].append(.now) }
            guard Glibc.write(input.descriptor, &bytes, bytes.count) == bytes.count else {
                progress.withLock { $0.failure = $0.failure ?? "writing file \(file): errno \(errno)" }
                return
            }
        }
    }
}
