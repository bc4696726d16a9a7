import ConlabCore
import ConlabIO
import ConlabToolkit
import Foundation
import Synchronization

/// The pipe the signal handler writes to. Set once in ``Interrupts/install()`` before the handler is
/// installed, and only read afterwards (by the handler, which may do nothing but write(2)).
nonisolated(unsafe) private var signalPipe: (read: Int32, write: Int32) = (-1, -1)

/// Ctrl-C and SIGTERM, turned from a sudden death into a clean stop.
///
/// A handler writes each signal to a pipe (the one thing a handler can safely do) and a thread of its own
/// reads it. The first signal cancels the registered run and cuts short every wait in flight: modelled
/// waits and polls end at once (``WaitInterruption``), tasks are cancelled, child jobs and worker
/// processes are sent SIGTERM. The run then writes `run_finished` with `interrupted: true` and exits 130,
/// within about a second. A second signal kills every child job and worker and exits 130 at once. Every
/// line already in the log stays valid either way.
enum Interrupts {
    private static let registered = Mutex<(@Sendable () -> Void)?>(nil)
    private static let received = Mutex(0)

    /// Installs the handlers and starts the thread that acts on them.
    static func install() {
        // A parent may have started conlab with these signals blocked (a thread of a dispatch pool blocks
        // almost all, and spawned children inherit the mask): then no thread would ever take them.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { return }
        for descriptor in descriptors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        signalPipe = (descriptors[0], descriptors[1])
        let reader = descriptors[0]
        _ = try? OSThread.spawn(name: "conlab-signals", stackSize: 128 * 1024) {
            var signal: UInt8 = 0
            while read(reader, &signal, 1) == 1 { handle() }
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { signal in
            var byte = UInt8(truncatingIfNeeded: signal)
            _ = write(signalPipe.write, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        // A worker process that dies must not take conlab with it: writing to its pipe then fails with
        // EPIPE, which the process strategy reports, instead of killing this process.
        signal(SIGPIPE, SIG_IGN)
    }

    private static func handle() {
        let count = received.withLock {
            $0 += 1
            return $0
        }
        guard count == 1, let stop = registered.withLock({ $0 }) else {
            // Nothing to stop cleanly, or asked twice: leave now, as the default action would, taking every
            // child along (the job groups, which a signal to conlab alone does not reach, and the workers).
            ChildJob.terminateAll(signal: SIGKILL)
            ChildProcess.signalAll(SIGKILL)
            _exit(ExitStatus.interrupted)
        }
        StandardError.print("\ninterrupted: stopping the units in flight; press Ctrl-C again to quit at once")
        // The run first, so that whatever the units in flight throw as they are cut short is seen as the
        // interruption it is.
        stop()
        // Child processes are units in flight too: they are ended, not waited for. Worker processes end
        // their own jobs when told to stop.
        ChildJob.terminateAll()
        ChildProcess.signalAll(SIGTERM)
        WaitInterruption.interruptAll()
    }

    /// Makes the first signal cancel `run`, until ``unregister()``: a signal with nothing registered ends
    /// conlab at once, so a run registers before its log opens and stays registered until the log's
    /// `run_finished` is written.
    static func register(_ run: RunCancellation) {
        registered.withLock { $0 = { run.cancel() } }
    }

    /// Ends the registration: from now on a signal ends conlab at once, with status 130.
    static func unregister() {
        registered.withLock { $0 = nil }
    }

    /// Whether a signal arrived.
    static var wasInterrupted: Bool { received.withLock { $0 > 0 } }
}
