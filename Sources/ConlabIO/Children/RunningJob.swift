#if canImport(Glibc)
import ConlabCore
import ConlabToolkit
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A ``ChildJob`` in flight: its children, its pipes, what has been read, and what is due. Driven one
/// step at a time — by ``ChildJob/run()`` on its own thread, or by ``ChildReactor`` with many others.
///
/// `@unchecked Sendable`: it is handed from the thread that starts it to the one thread that drives it, and
/// touched by no other.
final class RunningJob: @unchecked Sendable {
    let job: ChildJob
    let children: [Int32]
    private var terminations: [ChildProcess.Termination?]
    private var input: Int32?
    private var written = 0
    private let output: Int32
    private let error: Int32
    private var outputOpen = true
    private var errorOpen = true
    private var digest = SHA256()
    private var head: [UInt8] = []
    private var errorHead: [UInt8] = []
    private var outputBytes = 0
    private var errorBytes = 0
    private var polls = 0
    private var timedOut = false
    private let clock = ContinuousClock()
    private let deadline: ContinuousClock.Instant?
    private var killAt: ContinuousClock.Instant?
    private var nextPoll: ContinuousClock.Instant?
    private let spawnTime: Duration
    /// Only ever read up to what a read filled, so it starts unzeroed: one per child, 64 KiB each.
    private var buffer = [UInt8](unsafeUninitializedCapacity: 65536) { _, count in count = 65536 }

    init(job: ChildJob, children: [Int32], input: Int32?, output: Int32, error: Int32, spawnTime: Duration) {
        self.job = job
        self.children = children
        self.input = input
        self.output = output
        self.error = error
        self.spawnTime = spawnTime
        terminations = Array(repeating: nil, count: children.count)
        let now = clock.now
        deadline = job.timeout.map { now + $0 }
        nextPoll = job.pollInterval.map { now + $0 }
        if let input { _ = fcntl(input, F_SETFL, O_NONBLOCK) }
    }

    /// Every pipe closed and every child reaped.
    var isFinished: Bool { !outputOpen && !errorOpen && input == nil && terminations.allSatisfy { $0 != nil } }

    /// Whether a timeout, a kill or a poll is still to come.
    var hasDeadline: Bool { (deadline != nil && !timedOut) || killAt != nil || nextPoll != nil }

    /// The pipes to wait on, with the events wanted.
    var descriptors: [pollfd] {
        var descriptors: [pollfd] = []
        if outputOpen { descriptors.append(pollfd(fd: output, events: Int16(POLLIN), revents: 0)) }
        if errorOpen { descriptors.append(pollfd(fd: error, events: Int16(POLLIN), revents: 0)) }
        if let input { descriptors.append(pollfd(fd: input, events: Int16(POLLOUT), revents: 0)) }
        return descriptors
    }

    /// Milliseconds until something is due, at most `cap`; 0 when it is overdue.
    func pollTimeout(capped cap: Int32) -> Int32 {
        let now = clock.now
        var wake = now + .milliseconds(Int64(cap))
        for instant in [timedOut ? nil : deadline, killAt, nextPoll].compactMap({ $0 }) { wake = min(wake, instant) }
        // Children with no pipe open are checked every few milliseconds.
        if descriptors.isEmpty { wake = min(wake, now + .milliseconds(5)) }
        return Int32(max(0, ((wake - now).inSeconds * 1000).rounded(.up)))
    }

    /// Feeds input and drains output on the descriptors `poll(2)` marked ready.
    func handle(_ ready: [pollfd]) {
        for descriptor in ready where descriptor.revents != 0 {
            if descriptor.fd == input {
                feed(descriptor.fd)
                continue
            }
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor.fd, $0.baseAddress, $0.count) }
            if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
            if count <= 0 {
                close(descriptor.fd)
                if descriptor.fd == output { outputOpen = false } else { errorOpen = false }
                continue
            }
            if descriptor.fd == output {
                outputBytes += count
                buffer.withUnsafeBytes { digest.update(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                if head.count < job.captureLimit { head += buffer[..<min(count, job.captureLimit - head.count)] }
            } else {
                errorBytes += count
                if errorHead.count < job.captureLimit {
                    errorHead += buffer[..<min(count, job.captureLimit - errorHead.count)]
                }
            }
        }
    }

    /// Timeouts, kills and polls that are due, and children that have ended.
    func tick() {
        let now = clock.now
        let group = children[0]
        if let deadline, now >= deadline, !timedOut {
            timedOut = true
            Glibc.kill(-group, SIGTERM)
            killAt = now + job.grace
        }
        if let due = killAt, now >= due {
            if terminations.contains(where: { $0 == nil }) { Glibc.kill(-group, SIGKILL) }
            killAt = nil
        }
        if let interval = job.pollInterval, let due = nextPoll, now >= due {
            if terminations.contains(where: { $0 == nil }) {
                polls += 1
                nextPoll = due + interval
            } else {
                nextPoll = nil
            }
        }
        // A job with a pipe open cannot finish yet, and nothing due asks about its children: reaping them can
        // wait, which spares a reactor driving many jobs a `waitpid` per job every round.
        if (outputOpen || errorOpen) && !hasDeadline { return }
        reap(blocking: false)
        if terminations.allSatisfy({ $0 != nil }) { nextPoll = nil }
    }

    /// Gives the job up, its task cancelled: kills every child (the whole process group, at once, with no
    /// grace) and closes the pipes, so that it is finished as soon as the children are reaped.
    func abandon() {
        Glibc.kill(-children[0], SIGKILL)
        if let input { close(input) }
        input = nil
        if outputOpen { close(output) }
        if errorOpen { close(error) }
        outputOpen = false
        errorOpen = false
        killAt = nil
        nextPoll = nil
    }

    /// Collects the exit status of every child that has ended (or, blocking, of all of them).
    func reap(blocking: Bool) {
        for (index, pid) in children.enumerated() where terminations[index] == nil {
            var status: Int32 = 0
            guard waitpid(pid, &status, blocking ? 0 : WNOHANG) == pid else { continue }
            // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out: the macros are not imported into Swift.
            let signal = status & 0x7f
            terminations[index] = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
        }
    }

    /// The outcome, recorded on the job. Call once, when ``isFinished``.
    func finish() -> ChildOutcome {
        let result = ChildOutcome(
            terminations: terminations.map { $0! },
            outputBytes: outputBytes,
            outputSHA256: digest.finalizeHex(),
            outputHead: String(decoding: head, as: UTF8.self),
            errorBytes: errorBytes,
            timedOut: timedOut,
            polls: polls,
            spawnSeconds: spawnTime.inSeconds
        )
        var outcome = result
        outcome.errorHead = String(decoding: errorHead, as: UTF8.self)
        job.finished(outcome, group: children[0])
        return outcome
    }

    /// Writes what the pipe takes of the input; closes it when all is written or the reader is gone.
    private func feed(_ descriptor: Int32) {
        // A child that exits without reading makes the write fail; that must not raise SIGPIPE in a process
        // that left it at its default (which kills). Blocked in this thread, it is consumed before the old
        // mask comes back.
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        let count = job.input.withUnsafeBytes { bytes in
            Glibc.write(descriptor, bytes.baseAddress! + written, bytes.count - written)
        }
        let failure = count < 0 ? errno : 0
        var none = timespec(tv_sec: 0, tv_nsec: 0)
        while sigtimedwait(&pipeSignal, nil, &none) == SIGPIPE {}
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        if count > 0 { written += count }
        if (count < 0 && failure != EAGAIN && failure != EINTR) || written == job.input.count {
            close(descriptor)
            input = nil
        }
    }
}
