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
/// reader that dies sends SIGPIPE up the chain. Standard output is hashed as it streams (no matter how
/// much there is, only its first bytes are kept); every child is reaped before ``run()`` returns.
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

    private let outcome = Mutex<ChildOutcome?>(nil)

    /// The process groups of every job running in this process, so an interrupted run can end them.
    private static let running = Mutex<Set<Int32>>([])

    /// Sends SIGTERM to every running job's process group: what Ctrl-C does, so no child outlives the run.
    public static func terminateAll() {
        for group in running.withLock({ $0 }) { Glibc.kill(-group, SIGTERM) }
    }

    /// Creates a job.
    public init(
        commands: [ChildCommand],
        input: [UInt8] = [],
        timeout: Duration? = nil,
        grace: Duration = .seconds(1),
        pollInterval: Duration? = nil
    ) {
        precondition(!commands.isEmpty, "a job runs at least one command")
        self.commands = commands
        self.input = input
        self.timeout = timeout
        self.grace = grace
        self.pollInterval = pollInterval
    }

    /// The outcome of the last ``run()``.
    public var result: ChildOutcome? { outcome.withLock { $0 } }

    /// Jobs are equal only to themselves: each is one run of real processes.
    public static func == (lhs: ChildJob, rhs: ChildJob) -> Bool { lhs === rhs }

    /// Hashes the identity.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }

    /// Starts the children, feeds and drains them, enforces the timeout, reaps them all.
    @available(*, noasync, message: "Blocks the calling thread until every child has ended.")
    @discardableResult
    public func run() throws(ChildProcess.SpawnError) -> ChildOutcome {
        // A child that exits without reading its input makes our write fail; it must not raise SIGPIPE in
        // a caller that left it at its default (which kills the process). Blocked in this thread, any
        // SIGPIPE raised here is consumed before the old mask comes back.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        defer {
            var none = timespec(tv_sec: 0, tv_nsec: 0)
            while sigtimedwait(&pipeSignal, nil, &none) == SIGPIPE {}
            pthread_sigmask(SIG_SETMASK, &previous, nil)
        }
        let clock = ContinuousClock()
        let inputPipe = input.isEmpty ? nil : try Spawning.pipe(for: commands[0].summary)
        let outputPipe = try Spawning.pipe(for: commands[0].summary)
        let errorPipe = try Spawning.pipe(for: commands[0].summary)
        var links: [(read: Int32, write: Int32)] = []
        var children: [Int32] = []
        var spawnTime = Duration.zero
        do {
            for _ in 1..<commands.count { links.append(try Spawning.pipe(for: commands[0].summary)) }
            let devNull = open("/dev/null", O_RDONLY | O_CLOEXEC)
            defer { close(devNull) }
            for (index, command) in commands.enumerated() {
                let standardInput = index == 0 ? (inputPipe?.read ?? devNull) : links[index - 1].read
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
        let result = watch(
            children: children,
            input: inputPipe?.write,
            output: outputPipe.read,
            error: errorPipe.read,
            clock: clock
        )
        Self.running.withLock { _ = $0.remove(children[0]) }
        var finished = result
        finished.spawnSeconds = spawnTime.inSeconds
        outcome.withLock { $0 = finished }
        return finished
    }

    @available(*, noasync)
    private func watch(
        children: [Int32],
        input: Int32?,
        output: Int32,
        error: Int32,
        clock: ContinuousClock
    )
        -> ChildOutcome
    {
        var terminations = [ChildProcess.Termination?](repeating: nil, count: children.count)
        var inputDescriptor = input
        var written = 0
        if let input { _ = fcntl(input, F_SETFL, O_NONBLOCK) }
        var outputOpen = true
        var errorOpen = true
        var digest = SHA256()
        var head: [UInt8] = []
        var outputBytes = 0
        var errorBytes = 0
        var polls = 0
        var timedOut = false
        let started = clock.now
        let deadline = timeout.map { started + $0 }
        var killAt: ContinuousClock.Instant?
        var nextPoll = pollInterval.map { started + $0 }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let group = children[0]

        func reap(blocking: Bool) {
            for (index, pid) in children.enumerated() where terminations[index] == nil {
                var status: Int32 = 0
                let reaped = waitpid(pid, &status, blocking ? 0 : WNOHANG)
                guard reaped == pid else { continue }
                let signal = status & 0x7f
                terminations[index] = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
            }
        }

        while outputOpen || errorOpen || terminations.contains(where: { $0 == nil }) {
            let now = clock.now
            if let deadline, now >= deadline, !timedOut {
                timedOut = true
                Glibc.kill(-group, SIGTERM)
                killAt = now + grace
            }
            if let killAt, now >= killAt, terminations.contains(where: { $0 == nil }) {
                Glibc.kill(-group, SIGKILL)
            }
            if let interval = pollInterval, let due = nextPoll, now >= due {
                if terminations.contains(where: { $0 == nil }) { polls += 1 }
                nextPoll = due + interval
            }
            // Sleep in poll(2) until a pipe is ready or the next instant something is due.
            var wake = now + .milliseconds(50)
            for instant in [deadline, killAt, nextPoll].compactMap({ $0 }) where instant > now {
                wake = min(wake, instant)
            }
            var descriptors: [pollfd] = []
            if outputOpen { descriptors.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
            if errorOpen { descriptors.append(pollfd(fd: error, events: Int16(POLLIN), revents: 0)) }
            if let descriptor = inputDescriptor {
                descriptors.append(pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0))
            }
            let milliseconds = Int32(max(0, min(50, ((wake - now).inSeconds * 1000).rounded(.up))))
            if descriptors.isEmpty {
                // Only the children are left: with nothing due, wait for them in the kernel; otherwise
                // check again shortly, so a timeout or a poll is not late.
                if deadline == nil && nextPoll == nil && (killAt == nil || timedOut == false) {
                    reap(blocking: true)
                } else {
                    BlockingSleep.sleep(for: .milliseconds(1))
                }
            } else {
                _ = poll(&descriptors, nfds_t(descriptors.count), milliseconds)
            }
            for descriptor in descriptors where descriptor.revents != 0 {
                if descriptor.fd == inputDescriptor {
                    let count = self.input.withUnsafeBytes { bytes in
                        Glibc.write(descriptor.fd, bytes.baseAddress! + written, bytes.count - written)
                    }
                    if count > 0 { written += count }
                    if count < 0 && errno != EAGAIN && errno != EINTR || written == self.input.count {
                        // Done, or the reader is gone (EPIPE): either way the input ends here.
                        close(descriptor.fd)
                        inputDescriptor = nil
                    }
                    continue
                }
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor.fd, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 {
                    close(descriptor.fd)
                    if descriptor.fd == output { outputOpen = false } else { errorOpen = false }
                    continue
                }
                if descriptor.fd == output {
                    outputBytes += count
                    buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                    if head.count < 200 { head += buffer[..<min(count, 200 - head.count)] }
                } else {
                    errorBytes += count
                }
            }
            reap(blocking: false)
        }
        if let descriptor = inputDescriptor { close(descriptor) }
        reap(blocking: true)
        return ChildOutcome(
            terminations: terminations.map { $0! },
            outputBytes: outputBytes,
            outputSHA256: digest.finalize().map { String($0, radix: 16).leftPadded(to: 2) }.joined(),
            outputHead: String(decoding: head, as: UTF8.self),
            errorBytes: errorBytes,
            timedOut: timedOut,
            polls: polls,
            spawnSeconds: 0
        )
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
