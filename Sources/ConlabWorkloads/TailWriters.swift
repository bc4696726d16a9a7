import ConlabCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The files of one item-62 run and the threads writing them: each writer thread appends its lines to
/// its own file with a pause drawn from the seed before each, the way the book's `write_random_data`
/// does. Tailers merge what they read into one output file through ``merge(_:file:)``.
///
/// Started by the first tailer that needs it (the serial reference writes nothing) and finished once,
/// when the run ends or the batch is released: writers joined, the folder removed.
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
        case running(folder: String, writers: [OSThread])
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
        var output: Int32?
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

    /// The path of `file`, starting the writers if they are not running yet.
    func path(of file: Int) throws -> String {
        try state.withLock { state in
            switch state {
            case .running(let folder, _):
                return "\(folder)/input-\(file).txt"
            case .finished:
                throw LoopbackSocket.Failure("open (the run has finished)", code: EBADF)
            case .idle:
                var template = Array("/tmp/conlab-tail-XXXXXX".utf8CString)
                guard mkdtemp(&template) != nil else { throw LoopbackSocket.Failure("mkdtemp", code: errno) }
                let folder = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let output = open("\(folder)/merged.txt", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard output >= 0 else { throw LoopbackSocket.Failure("open merged.txt", code: errno) }
                var descriptors: [Int32] = []
                for file in lines.indices {
                    let descriptor = open(
                        "\(folder)/input-\(file).txt",
                        O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                        0o644
                    )
                    guard descriptor >= 0 else { throw LoopbackSocket.Failure("open input-\(file).txt", code: errno) }
                    descriptors.append(descriptor)
                }
                let writers = try descriptors.enumerated().map { file, descriptor in
                    try OSThread.spawn(name: "tail-writer-\(file)", stackSize: 128 * 1024) { [self] in
                        write(file: file, to: descriptor)
                    }
                }
                // Lock order: state, then progress (merge takes only progress).
                progress.withLock { $0.output = output }
                state = .running(folder: folder, writers: writers)
                return "\(folder)/input-\(file).txt"
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
                if Glibc.write(output, &bytes, bytes.count) != bytes.count, progress.failure == nil {
                    progress.failure = "writing merged.txt: errno \(errno)"
                }
            }
            let written = progress.written[file]
            if index < written.count { progress.lagSeconds.append((arrived - written[index]).inSeconds) }
        }
    }

    /// Joins the writers, reads the merged output back, removes the folder; `nil` when never started.
    func finish() -> Outcome? {
        let running: (folder: String, writers: [OSThread])? = state.withLock { state in
            defer { state = .finished }
            guard case .running(let folder, let writers) = state else { return nil }
            return (folder, writers)
        }
        guard let running else { return nil }
        for writer in running.writers { writer.join() }
        if let output = progress.withLock({ $0.output.take() }) { close(output) }
        let merged = Self.readLines("\(running.folder)/merged.txt")
        for file in lines.indices { unlink("\(running.folder)/input-\(file).txt") }
        unlink("\(running.folder)/merged.txt")
        rmdir(running.folder)
        return progress.withLock { Outcome(merged: merged, lagSeconds: $0.lagSeconds, failure: $0.failure) }
    }

    /// The writer thread of `file`.
    @available(*, noasync)
    private func write(file: Int, to descriptor: Int32) {
        defer {
            close(descriptor)
            progress.withLock { $0.done[file] = true }
        }
        for (index, line) in lines[file].enumerated() {
            BlockingSleep.sleep(for: pauses[file][index])
            var bytes = Array((line + "\n").utf8)
            // Recorded first: a tailer may read the line the moment it is written.
            progress.withLock { $0.written[file].append(.now) }
            guard Glibc.write(descriptor, &bytes, bytes.count) == bytes.count else {
                progress.withLock { $0.failure = $0.failure ?? "writing input-\(file).txt: errno \(errno)" }
                return
            }
        }
    }

    private static func readLines(_ path: String) -> [String] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return [] }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            guard count > 0 else { break }
            bytes += chunk[0..<count]
        }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
