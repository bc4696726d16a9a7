import ConlabToolkit
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Waits for the child processes of many jobs on one thread: one `poll(2)` over every job's pipes, so
/// async code can run any number of subprocess jobs at once without a thread per job and without ever
/// blocking the cooperative pool. Tasks suspend until their job ends.
///
/// One per process (``shared``), like an event loop: it starts its thread on first use and keeps it until
/// ``retireIdleThread()``.
public final class ChildReactor: Sendable {
    /// The process's reactor.
    public static let shared = ChildReactor()

    private struct Request {
        let job: ChildJob
        let continuation: CheckedContinuation<ChildOutcome, any Error>
    }

    private struct State {
        /// Jobs handed in and not yet taken by the thread.
        var waiting: [Request] = []
        var threadStarted = false
        /// The running thread, kept to be joined when it retires.
        var thread: OSThread?
        /// A request that the thread end if idle, answered by the thread.
        var retirement: ThreadRetirement?
    }

    private let state = Mutex(State())
    /// Rung to wake the reactor when a job arrives.
    private let wake: Doorbell
    private let threadName: String

    /// Internal for tests, which need reactors of their own; conlab uses ``shared``.
    init(threadName: String = "conlab-reactor") {
        self.threadName = threadName
        // Without its doorbell the reactor would never see new jobs; a process out of descriptors this
        // early cannot run subprocess workloads anyway.
        guard let wake = Doorbell() else { preconditionFailure("the child reactor needs an eventfd") }
        self.wake = wake
    }

    /// Starts `job`, suspends until every child of it has ended, and returns its outcome.
    public func run(_ job: ChildJob) async throws -> ChildOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let startThread: Bool = state.withLock { state in
                state.waiting.append(Request(job: job, continuation: continuation))
                defer { state.threadStarted = true }
                return !state.threadStarted
            }
            if startThread {
                do {
                    let thread = try OSThread.spawn(name: threadName, stackSize: 512 * 1024) { [self] in
                        loop()
                    }
                    state.withLock { $0.thread = thread }
                } catch {
                    // This job and any that came in since, all waiting for a thread that never started.
                    let stranded = state.withLock { state in
                        state.threadStarted = false
                        defer { state.waiting = [] }
                        return state.waiting
                    }
                    for request in stranded { request.continuation.resume(throwing: error) }
                    return
                }
            }
            wake.ring()
        }
    }

    /// Ends the reactor's thread if no job is running or waiting, and waits until it has ended: about a
    /// wake-up, as the thread runs no work of its own between polls. The next job starts a new thread.
    /// `false` when there was no thread or it was busy.
    @discardableResult
    public func retireIdleThread() -> Bool {
        let retirement = ThreadRetirement()
        let thread: OSThread? = state.withLock { state in
            guard let thread = state.thread, state.waiting.isEmpty else { return nil }
            state.retirement = retirement
            return thread
        }
        guard let thread else { return false }
        return retirement.awaitEnd(of: thread) { wake.ring() }
    }

    /// The reactor thread: start arriving jobs, wait on all their pipes at once, finish the ones done.
    @available(*, noasync)
    private func loop() {
        var jobs: [(running: RunningJob, continuation: CheckedContinuation<ChildOutcome, any Error>)] = []
        while true {
            let (arrived, retirement, retiring) = state.withLock { state -> ([Request], ThreadRetirement?, Bool) in
                defer { state.waiting = [] }
                guard let retirement = state.retirement else { return (state.waiting, nil, false) }
                state.retirement = nil
                guard jobs.isEmpty && state.waiting.isEmpty else { return (state.waiting, retirement, false) }
                // The thread is out of the state from here on: a job from now starts a new one.
                state.threadStarted = false
                state.thread = nil
                return ([], retirement, true)
            }
            if let retirement {
                retirement.answer(retired: retiring)
                if retiring { return }
            }
            for request in arrived {
                do {
                    jobs.append((try request.job.start(), request.continuation))
                } catch {
                    request.continuation.resume(throwing: error)
                }
            }
            var descriptors = [pollfd(fd: wake.descriptor, events: Int16(POLLIN), revents: 0)]
            var ranges: [Range<Int>] = []
            var timeout: Int32 = jobs.isEmpty ? -1 : 50
            for job in jobs {
                let own = job.running.descriptors
                ranges.append(descriptors.count..<(descriptors.count + own.count))
                descriptors += own
                timeout = min(timeout, job.running.pollTimeout(capped: 50))
            }
            _ = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if descriptors[0].revents != 0 { wake.drain() }
            for (job, range) in zip(jobs, ranges) {
                job.running.handle(Array(descriptors[range]))
                job.running.tick()
            }
            jobs.removeAll { job in
                guard job.running.isFinished else { return false }
                job.continuation.resume(returning: job.running.finish())
                return true
            }
        }
    }
}
