public import ConlabCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A subprocess job of item 52: one command, or a chain whose every child's standard output is the next
/// one's standard input, fed `input` and watched until every child has ended.
///
/// The children form one process group, so a timeout reaches all of them (and their own children):
/// SIGTERM first, SIGKILL after `grace`. The parent keeps no end of the pipes between children, so a
/// reader that dies sends SIGPIPE up the chain. Standard output is hashed as it streams and kept up to
/// ``captureLimit`` bytes; every child is reaped before the job's outcome is known.
public final class ChildJob: Sendable, Hashable {
    /// The commands, in chain order.
    public let commands: [ChildCommand]
    /// Bytes written to the first child's standard input, then closed.
    public let input: [UInt8]
    /// How long the job may run before its group is sent SIGTERM.
    public let timeout: Duration?
    /// How long after SIGTERM a child that ignores it is sent SIGKILL.
    public let grace: Duration
    /// Check on the running job at this interval, counting each check (the seed's poll loop).
    public let pollInterval: Duration?
    /// The most bytes of standard output, and of standard error, kept as text (all output is counted,
    /// standard output also hashed).
    public let captureLimit: Int

    private let outcome = Mutex<ChildOutcome?>(nil)

    /// The process groups of every job running in this process, so an interrupted run can end them.
    private static let running = Mutex<Set<Int32>>([])

    /// Sends SIGTERM to every running job's process group: what Ctrl-C does, so no child outlives the run.
    public static func terminateAll() { terminateAll(signal: SIGTERM) }

    /// Sends `signal` to every running job's process group.
    public static func terminateAll(signal: Int32) {
        for group in running.withLock({ $0 }) { Glibc.kill(-group, signal) }
    }

    /// Creates a job.
    public init(
        commands: [ChildCommand],
        input: [UInt8] = [],
        timeout: Duration? = nil,
        grace: Duration = .seconds(1),
        pollInterval: Duration? = nil,
        captureLimit: Int = 65536
    ) {
        precondition(!commands.isEmpty, "a job runs at least one command")
        self.commands = commands
        self.input = input
        self.timeout = timeout
        self.grace = grace
        self.pollInterval = pollInterval
        self.captureLimit = captureLimit
    }

    /// The outcome of the last ``run()``.
    public var result: ChildOutcome? { outcome.withLock { $0 } }

    /// Jobs are equal only to themselves: each is one run of real processes.
    public static func == (lhs: ChildJob, rhs: ChildJob) -> Bool { lhs === rhs }

    /// Hashes the identity.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// Starts the children, feeds and drains them, enforces the timeout, reaps them all, on the calling
    /// thread.
    @available(*, noasync, message: "Blocks the calling thread until every child has ended.")
    @discardableResult
    public func run() throws(ChildProcess.SpawnError) -> ChildOutcome {
        let running = try start()
        while !running.isFinished {
            var descriptors = running.descriptors
            if descriptors.isEmpty && !running.hasDeadline {
                // Only the children are left and nothing is due: wait for them in the kernel.
                running.reap(blocking: true)
                continue
            }
            _ = poll(&descriptors, nfds_t(descriptors.count), running.pollTimeout(capped: 50))
            running.handle(descriptors)
            running.tick()
        }
        return running.finish()
    }

    /// What `count` jobs of `commands` commands take at most at once, counted from what ``start()`` opens:
    /// a process per command; in this process, while the children run, the read ends of their standard
    /// output and error and, with input, the write end of theirs (until the input is written); while they
    /// start, both ends of every pipe (the input's, the output's, the error's and one between each two
    /// commands of a chain).
    public static func demand(commands: Int, hasInput: Bool, count: Int = 1) -> ChildDemand.Group {
        let pipes = (hasInput ? 1 : 0) + 2 + (commands - 1)
        return ChildDemand.Group(
            units: count,
            processes: commands,
            descriptors: hasInput ? 3 : 2,
            startingDescriptors: 2 * pipes
        )
    }

    /// Starts the children and hands back the job in flight, for ``run()`` or ``ChildReactor`` to drive.
    func start() throws(ChildProcess.SpawnError) -> RunningJob {
        let clock = ContinuousClock()
        let inputPipe = input.isEmpty ? nil : try Spawning.pipe(for: commands[0].summary)
        let outputPipe = try Spawning.pipe(for: commands[0].summary)
        let errorPipe = try Spawning.pipe(for: commands[0].summary)
        var links: [(read: Int32, write: Int32)] = []
        var children: [Int32] = []
        var spawnTime = Duration.zero
        do {
            for _ in 1..<commands.count { links.append(try Spawning.pipe(for: commands[0].summary)) }
            for (index, command) in commands.enumerated() {
                let standardInput = index == 0 ? (inputPipe?.read ?? Spawning.nullInput) : links[index - 1].read
                let standardOutput = index == commands.count - 1 ? outputPipe.write : links[index].write
                let started = clock.now
                children.append(
                    try Spawning.spawn(
                        command,
                        input: standardInput,
                        output: standardOutput,
                        error: errorPipe.write,
                        processGroup: children.first ?? 0
                    )
                )
                spawnTime += clock.now - started
            }
        } catch {
            for pid in children { Glibc.kill(pid, SIGKILL) }
            for pid in children {
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
            for descriptor in [
                inputPipe?.read, inputPipe?.write, outputPipe.read, outputPipe.write, errorPipe.read, errorPipe.write,
            ].compactMap({ $0 }) + links.flatMap({ [$0.read, $0.write] }) {
                close(descriptor)
            }
            throw error
        }
        // The parent keeps only its own ends: the children's ends closed here is what lets EOF and
        // SIGPIPE travel along the chain.
        for link in links {
            close(link.read)
            close(link.write)
        }
        if let inputPipe { close(inputPipe.read) }
        close(outputPipe.write)
        close(errorPipe.write)
        Self.running.withLock { _ = $0.insert(children[0]) }
        return RunningJob(
            job: self,
            children: children,
            input: inputPipe?.write,
            output: outputPipe.read,
            error: errorPipe.read,
            spawnTime: spawnTime
        )
    }

    /// Records the outcome and forgets the job's process group.
    func finished(_ result: ChildOutcome, group: Int32) {
        Self.running.withLock { _ = $0.remove(group) }
        outcome.withLock { $0 = result }
    }
}
