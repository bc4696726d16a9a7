import ConlabCore
import ConlabToolkit
import Synchronization

/// One tailer of item 62: it follows one file while its writer thread appends to it, merging every new
/// line into the shared output, until the writer is done and the file is read to its end — blocking its
/// thread between polls, or (the async side of the book's mix) suspending its task.
final class TailedFile: ExternalWork {
    /// A tailer that found no end.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let file: Int
    let writers: TailWriters
    let poll: Duration
    let timeout: Duration
    private let read = Mutex<[String]?>(nil)

    init(file: Int, writers: TailWriters, poll: Duration, timeout: Duration) {
        self.file = file
        self.writers = writers
        self.poll = poll
        self.timeout = timeout
    }

    /// The lines read, in order.
    func lines() throws(Failure) -> [String] {
        guard let lines = read.withLock({ $0 }) else { throw Failure(description: "the file was never tailed") }
        return lines
    }

    func performBlocking(using services: WaitServices) throws {
        let tail = FileTail(try writers.input(file))
        let deadline = ContinuousClock.now + timeout
        var lines: [String] = []
        while true {
            // Read before the file: a writer done before a read that finds nothing means the end.
            let writerDone = writers.isDone(file)
            if try take(tail.newLines(), into: &lines) { continue }
            if writerDone { break }
            guard ContinuousClock.now < deadline else { throw expired(lines.count) }
            BlockingSleep.sleep(for: poll)
        }
        read.withLock { $0 = lines }
    }

    func performSuspending(using services: WaitServices) async throws {
        let tail = FileTail(try writers.input(file))
        let deadline = ContinuousClock.now + timeout
        var lines: [String] = []
        while true {
            let writerDone = writers.isDone(file)
            if try take(tail.newLines(), into: &lines) { continue }
            if writerDone { break }
            guard ContinuousClock.now < deadline else { throw expired(lines.count) }
            try await Task.sleep(for: poll)
        }
        read.withLock { $0 = lines }
    }

    /// The reference: the lines the writer will write, without files or waiting.
    func performInstantly() {
        read.withLock { $0 = writers.lines[file] }
    }

    /// Merges `fresh` and adds it to `lines`; `false` when there was nothing new.
    private func take(_ fresh: [String], into lines: inout [String]) -> Bool {
        for line in fresh {
            writers.merge(line, file: file, index: lines.count)
            lines.append(line)
        }
        return !fresh.isEmpty
    }

    private func expired(_ count: Int) -> Failure {
        Failure(
            description: "file \(file): its writer was not done after \(DurationFormat.short(timeout)) "
                + "(\(count) of \(writers.lines[file].count) lines read)"
        )
    }
}
