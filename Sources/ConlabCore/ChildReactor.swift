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
/// One per process (``shared``), like an event loop: it starts its thread on first use and keeps it.
public final class ChildReactor: Sendable {
    /// The process's reactor.
    public static let shared = ChildReactor()

    private struct Request {
        let job: ChildJob
        let continuation: CheckedContinuation<ChildOutcome, any Error>
    }

    private enum State {
        case idle
        case running(waiting: [Request])
    }

    private let state = Mutex(State.idle)
    /// Rung to wake the reactor when a job arrives.
    private let wake: Doorbell

    private init() {
        // Without its doorbell the reactor would never see new jobs; a process out of descriptors this
        // early cannot run subprocess workloads anyway.
        guard let wake = Doorbell() else { preconditionFailure("the child reactor needs an eventfd") }
        self.wake = wake
    }

    /// Starts `job`, suspends until every child of it has ended, and returns its outcome.
    public func run(_ job: ChildJob) async throws -> ChildOutcome {
        try await withCheckedThrowingContinuation { continuation in
            let startThread: Bool = state.withLock { state in
                switch state {
                case .idle:
                    state = .running(waiting: [Request(job: job, continuation: continuation)])
                    return true
                case .running(var waiting):
                    waiting.append(Request(job: job, continuation: continuation))
                    state = .running(waiting: waiting)
                    return false
                }
            }
            if startThread {
                do {
                    _ = try OSThread.spawn(name: "conlab-reactor", stackSize: 512 * 1024) { [self] in loop() }
                } catch {
                    state.withLock { $0 = .idle }
                    continuation.resume(throwing: error)
                    return
                }
            }
            wake.ring()
        }
    }

    /// The reactor thread: start arriving jobs, wait on all their pipes at once, finish the ones done.
    @available(*, noasync)
    private func loop() {
        var jobs: [(running: RunningJob, continuation: CheckedContinuation<ChildOutcome, any Error>)] = []
        while true {
            let arrived: [Request] = state.withLock { state in
                guard case .running(let waiting) = state else { return [] }
                state = .running(waiting: [])
                return waiting
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
