import ConlabToolkit
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Waits for the child processes of many jobs on one thread: one `poll(2)` over every job's pipes, so
/// async code can run any number of subprocess jobs at once without a thread per job and without ever
/// blocking the cooperative pool. Tasks suspend until their job ends; a task cancelled meanwhile has its
/// job's children killed and is resumed, with `CancellationError`, once they are reaped.
///
/// The decisions are a pure ``ChildStateMachine`` behind a `Mutex`; this class performs them. Made once
/// per run (``StandardServices``) and handed down; it starts its thread on first use and keeps it until
/// ``retireIdleThread()``.
public final class ChildReactor: Sendable {
    private typealias Machine = ChildStateMachine<ChildJob, CheckedContinuation<ChildOutcome, any Error>>

    private let state = Mutex(Machine())
    private let nextID = Atomic<UInt64>(0)
    /// Rung to wake the reactor when a job arrives or a task is cancelled.
    private let wake: Doorbell
    private let threadName: String

    /// A reactor whose thread, named `threadName`, starts on first use.
    ///
    /// - Throws: ``Doorbell/Unavailable`` when the process is out of descriptors.
    public init(threadName: String = "conlab-reactor") throws {
        self.threadName = threadName
        guard let wake = Doorbell() else { throw Doorbell.Unavailable() }
        self.wake = wake
    }

    /// Starts `job`, suspends until every child of it has ended, and returns its outcome.
    ///
    /// - Throws: `CancellationError` when the task is cancelled (the job's children are killed and reaped
    ///   first, within about 50 ms); ``ChildProcess/SpawnError`` when the job cannot start;
    ///   ``OSThread/SpawnError`` when the reactor's thread cannot.
    public func run(_ job: ChildJob) async throws -> ChildOutcome {
        let id = nextID.add(1, ordering: .relaxed).newValue
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let submission = state.withLock {
                    $0.submit(job, id: id, taskCancelled: Task.isCancelled, continuation: continuation)
                }
                switch submission {
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .queued(let action): perform(action)
                }
            }
        } onCancel: {
            switch state.withLock({ $0.cancel(id) }) {
            case .none: break
            case .resume(let continuation): continuation.resume(throwing: CancellationError())
            case .kill(let action): perform(action)
            }
        }
    }

    private func perform(_ action: Machine.Action) {
        switch action {
        case .none: break
        case .ring: wake.ring()
        case .startThread: startThread()
        }
    }

    private func startThread() {
        do {
            let thread = try OSThread.spawn(name: threadName, stackSize: 512 * 1024) { [self] in loop() }
            state.withLock { $0.started(thread) }
        } catch {
            // This job and any that came in since, all waiting for a thread that never started.
            for continuation in state.withLock({ $0.failedToStart() }) { continuation.resume(throwing: error) }
        }
    }

    /// Ends the reactor's thread if no job is running or waiting, and waits until it has ended: about a
    /// wake-up, as the thread runs no work of its own between polls. The next job starts a new thread.
    /// `false` when there was no thread or it was busy.
    @discardableResult
    public func retireIdleThread() -> Bool {
        let retirement = ThreadRetirement()
        guard let thread = state.withLock({ $0.requestRetirement(retirement) }) else { return false }
        return retirement.awaitEnd(of: thread) { wake.ring() }
    }

    /// The reactor thread: start arriving jobs, kill those whose tasks were cancelled, wait on all their
    /// pipes at once, finish the ones done.
    @available(*, noasync)
    private func loop() {
        var jobs: [(id: UInt64, running: RunningJob)] = []
        var arrived: [Machine.Arrival] = []
        var kill: [UInt64] = []
        while true {
            // A child starts with a copy of this process's descriptor table and closes each close-on-exec
            // descriptor of it as it executes: the kernel's time per start grows with the pipes open here.
            // Starting every job handed in before the next poll left the pipes of children long ended open
            // (4,000 for item 52's 2,000 jobs: a quarter of a fan-out's time, `perf record`). So a round
            // starts a few jobs, then polls, which costs a descriptor per open pipe in turn: an eighth of the
            // running jobs, and at least 4. Measured in BENCHMARKS, eighteenth session.
            let starts = max(4, jobs.count / 8)
            if let (request, retiring) = state.withLock({
                $0.beginRound(arrived: &arrived, kill: &kill, startingAtMost: starts)
            }) {
                request.answer(retired: retiring)
                if retiring { return }
                continue
            }
            for arrival in arrived {
                do {
                    jobs.append((arrival.id, try arrival.job.start()))
                } catch {
                    state.withLock { $0.finish(arrival.id) }?.continuation.resume(throwing: error)
                }
            }
            arrived.removeAll(keepingCapacity: true)
            for id in kill { jobs.first { $0.id == id }?.running.abandon() }
            kill.removeAll(keepingCapacity: true)
            var descriptors = [pollfd(fd: wake.descriptor, events: Int16(POLLIN), revents: 0)]
            var ranges: [Range<Int>] = []
            var timeout: Int32 = jobs.isEmpty ? -1 : 50
            for job in jobs {
                let own = job.running.descriptors
                ranges.append(descriptors.count..<(descriptors.count + own.count))
                descriptors += own
                timeout = min(timeout, job.running.pollTimeout(capped: 50))
            }
            if !state.withLock({ $0.prepareToSleep() }) { timeout = 0 }
            _ = poll(&descriptors, nfds_t(descriptors.count), timeout)
            state.withLock { $0.woke() }
            if descriptors[0].revents != 0 { wake.drain() }
            for (job, range) in zip(jobs, ranges) {
                job.running.handle(Array(descriptors[range]))
                job.running.tick()
            }
            jobs.removeAll { job in
                guard job.running.isFinished else { return false }
                let outcome = job.running.finish()
                guard let (continuation, cancelled) = state.withLock({ $0.finish(job.id) }) else { return true }
                if cancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    continuation.resume(returning: outcome)
                }
                return true
            }
        }
    }
}
