import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Cuts short every blocking wait in the process when it is interrupted: modelled waits
/// (``BlockingSleep/sleepPrecisely(until:)``) and blocking polls (`ReadinessWait` in ConlabIO) end within tens of
/// milliseconds of ``interruptAll()`` instead of running to their deadlines, however long those are.
///
/// A thread asleep in `clock_nanosleep` or `poll` sees no flag; a signal reaches it. Each thread that
/// waits through ``whileWaiting(_:)`` is known here, and says while it is in a wait; ``interruptAll()``
/// raises a one-way flag, then sends ``wakeSignal`` to every thread in a wait. Its handler does nothing:
/// being run is the point, since `clock_nanosleep` and `poll` return `EINTR` after any handler, whatever
/// `SA_RESTART` says (signal(7)). The handler is installed with `SA_RESTART`, so the other calls a thread
/// might be in when the signal lands (a `write` to the log, a `read` from a worker) are restarted, not
/// failed. The sleeping thread then finds the flag raised and gives up instead of sleeping again.
///
/// A signal sent just before a thread enters its system call would be lost, so the signals are sent
/// again every ``resendInterval`` until the process ends: no thread waits longer than that after it.
///
/// The flag is never lowered: an interrupted conlab is on its way out, and every wait that starts after
/// it ends at once.
public enum WaitInterruption {
    /// The signal that wakes a waiting thread; nothing else in conlab uses it.
    public static let wakeSignal = SIGUSR2
    /// How often the threads still in a wait are signalled again.
    public static let resendInterval = Duration.milliseconds(20)

    private static let raised = Atomic<Bool>(false)

    /// Every thread that has waited through ``whileWaiting(_:)`` and not yet ended, by `pthread_self()`, in
    /// shards by thread. One lock for all of them was a fifth of the CPU time of `thread` at 10,000 cells:
    /// each of the 10,000 threads a generation starts registers itself and forgets itself as it ends, and
    /// threads spun in the contended lock (perf, `_MutexHandle._lockSlow`).
    private static let shards = (0..<64).map { _ in Shard() }

    /// Some of the threads.
    private final class Shard: Sendable {
        let waiters = Mutex<[UInt: Waiter]>([:])
    }

    /// The shard of `thread`: its handle, mixed, so that threads spread over the shards.
    private static func shard(of thread: pthread_t) -> Shard {
        shards[Int(truncatingIfNeeded: (UInt(thread) &* 0x9E37_79B9_7F4A_7C15) >> 58)]
    }

    /// One thread: its handle, and whether it is in a wait now.
    private final class Waiter: Sendable {
        let thread: pthread_t
        let waiting = Atomic<Bool>(false)

        init(thread: pthread_t) {
            self.thread = thread
        }
    }

    /// The slot holding the calling thread's ``Waiter``; its destructor forgets the thread as it ends.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let created = pthread_key_create(&key) { raw in
            guard let raw else { return }
            let waiter = Unmanaged<Waiter>.fromOpaque(raw).takeRetainedValue()
            WaitInterruption.shard(of: waiter.thread).waiters.withLock { _ = $0.removeValue(forKey: waiter.thread) }
        }
        precondition(created == 0, "wait interruption needs a thread-specific key")
        return key
    }()

    /// The no-op handler, installed once, before any thread can be sent the signal or unblock it.
    private static let handlerInstalled: Void = {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART
        sigaction(wakeSignal, &action, nil)
    }()

    /// Whether the process has been interrupted: a wait that starts now ends at once.
    public static var isRaised: Bool { raised.load(ordering: .sequentiallyConsistent) }

    /// Runs `body`, a blocking call, with the calling thread marked as waiting, so that ``interruptAll()``
    /// can wake it.
    ///
    /// Contract: `body` checks ``isRaised`` before each blocking call and returns when it is raised; a
    /// signal makes its `clock_nanosleep` or `poll` return `EINTR`, and it checks again.
    public static func whileWaiting<Result>(_ body: () -> Result) -> Result {
        let waiter = current()
        // Sequentially consistent with the flag, as in ``interruptAll()``: either this thread sees the flag
        // raised before it blocks, or the interrupter sees it waiting and signals it.
        waiter.waiting.store(true, ordering: .sequentiallyConsistent)
        defer { waiter.waiting.store(false, ordering: .releasing) }
        return body()
    }

    /// Raises the flag and wakes every thread in a wait, now and every ``resendInterval`` after, until the
    /// process ends. Later calls do nothing.
    public static func interruptAll() {
        _ = handlerInstalled
        guard !raised.exchange(true, ordering: .sequentiallyConsistent) else { return }
        wakeWaiting()
        // A thread that had checked the flag but not yet blocked missed the first signal: say it again.
        _ = try? OSThread.spawn(name: "conlab-wake", stackSize: 64 * 1024) {
            while true {
                BlockingSleep.sleep(for: resendInterval)
                wakeWaiting()
            }
        }
    }

    /// Signals every thread in a wait. Under its shard's lock: a thread forgets itself under it before it
    /// ends, so every thread signalled here is still alive.
    private static func wakeWaiting() {
        for shard in shards {
            shard.waiters.withLock { waiters in
                for waiter in waiters.values where waiter.waiting.load(ordering: .sequentiallyConsistent) {
                    pthread_kill(waiter.thread, wakeSignal)
                }
            }
        }
    }

    /// The calling thread's ``Waiter``, made and registered on its first wait.
    private static func current() -> Waiter {
        if let raw = pthread_getspecific(key) { return Unmanaged<Waiter>.fromOpaque(raw).takeUnretainedValue() }
        _ = handlerInstalled
        // Threads started from a thread of a dispatch pool inherit its mask, which blocks almost every signal.
        var wake = sigset_t()
        sigemptyset(&wake)
        sigaddset(&wake, wakeSignal)
        pthread_sigmask(SIG_UNBLOCK, &wake, nil)
        let waiter = Waiter(thread: pthread_self())
        shard(of: waiter.thread).waiters.withLock { $0[waiter.thread] = waiter }
        pthread_setspecific(key, Unmanaged.passRetained(waiter).toOpaque())
        return waiter
    }
}
