import ConlabCore
import ConlabIO
import ConlabToolkit
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The write end of the pipe the worker's SIGTERM handler writes to. Set once in ``WorkerLifeline/hold()``
/// before the handler is installed, and only read afterwards (by the handler, which may do nothing but
/// write(2)).
nonisolated(unsafe) private var terminationPipe: Int32 = -1

/// The status the worker's main thread has decided to end with, for the lifeline to end with if the parent's
/// hang-up reaches it first.
private let announcedStatus = Atomic<Int32>(0)

/// What ties a worker process's life to its parent's: it ends, taking its child jobs along, when its
/// parent tells it to (SIGTERM) or when its parent is gone, however that parent ended.
///
/// The parent is the only writer of the worker's standard input, and its end of that pipe is closed on
/// exec, so no other process holds it: when the parent ends (`kill -9` too) or closes it, `poll(2)` reports
/// the pipe hung up. A thread of the worker's own waits for that or for SIGTERM, then kills the process
/// groups of the jobs the worker runs (which no signal to the worker reaches) and ends the worker, in
/// the middle of a unit if need be. (`PR_SET_PDEATHSIG` would fire when the parent's *thread* that
/// started the worker ends, and the process strategy starts workers from the cooperative pool, whose
/// threads come and go.)
enum WorkerLifeline {
    /// Installs the SIGTERM handler and starts the thread that watches the parent.
    static func hold() {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { return }
        for descriptor in ends { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        terminationPipe = ends[1]
        let terminations = ends[0]
        do {
            _ = try OSThread.spawn(name: "conlab-lifeline", stackSize: 64 * 1024) {
                watch(terminations)
            }
        } catch {
            // Without the watcher the default action at least ends this worker; its jobs die with their
            // starting thread (their parent-death signal).
            signal(SIGTERM, SIG_DFL)
            return
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 1
            _ = write(terminationPipe, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGTERM, &action, nil)
    }

    /// Notes the status the worker is about to end with, before it writes its last message.
    ///
    /// A worker that refuses a message exits 3, and its parent closes the worker's input as soon as it has
    /// read the refusal: the lifeline may see that hang-up before the main thread reaches `exit`, and must
    /// then end the worker with the same 3.
    static func announce(status: Int32) {
        announcedStatus.store(status, ordering: .sequentiallyConsistent)
    }

    /// Waits for SIGTERM or the parent's end, then ends the jobs and the worker.
    private static func watch(_ terminations: Int32) -> Never {
        var descriptors = [
            // No events asked: a hang-up (or an error) is reported whatever is asked.
            pollfd(fd: 0, events: 0, revents: 0),
            pollfd(fd: terminations, events: Int16(POLLIN), revents: 0),
        ]
        while poll(&descriptors, 2, -1) <= 0 || descriptors.allSatisfy({ $0.revents == 0 }) {}
        ChildJob.terminateAll(signal: SIGKILL)
        guard descriptors[1].revents != 0 else {
            // The parent is gone, or has closed our input because it is done with us (or has read our refusal).
            _exit(announcedStatus.load(ordering: .sequentiallyConsistent))
        }
        // Told to stop: end as SIGTERM's default action would, so the parent reads how it ended.
        signal(SIGTERM, SIG_DFL)
        kill(getpid(), SIGTERM)
        _exit(128 + SIGTERM)
    }
}
