import CLinux
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
/// A thread asleep in `clock_nanosleep` or `poll` sees no flag; a signal reaches it. A thread that waits
/// through ``whileWaiting(_:)`` is known here for as long as it is in the wait; ``interruptAll()``
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

    /// The threads in a wait now, in shards by thread. One lock for all of them was a fifth of the CPU time
    /// of `thread` at 10,000 cells, where the 10,000 threads a generation starts all wait at once (perf,
    /// `_MutexHandle._lockSlow`).
    private static let shards = (0..<64).map { _ in Shard() }

    /// Some of the threads in a wait, linked through nodes on their own stacks: a thread enters its shard
    /// as a wait begins and leaves as it ends, with nothing allocated, so that a thread which lives for one
    /// wait (a thread per cell) never touches the allocator for it. (A registry of every thread that ever
    /// waited, kept in a dictionary and forgotten by a thread-specific destructor, allocated an object and
    /// a malloc cache in each such thread.)
    private final class Shard: Sendable {
        let waiting = Mutex(WaitingList())
    }

    /// The shard of `thread`: its handle, mixed, so that threads spread over the shards.
    private static func shard(of thread: pthread_t) -> Shard {
        shards[Int(truncatingIfNeeded: (UInt(thread) &* 0x9E37_79B9_7F4A_7C15) >> 58)]
    }

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
        prepareCurrentThread()
        return withUnsafeTemporaryAllocation(of: WaitingList.Node.self, capacity: 1) { nodes in
            let node = WaitingList.Entry(nodes.baseAddress!)
            node.address.initialize(to: WaitingList.Node(thread: pthread_self()))
            defer { node.address.deinitialize(count: 1) }
            let shard = shard(of: node.address.pointee.thread)
            // The shard's lock orders the entry with ``interruptAll()``'s flag: either the interrupter
            // finds this thread in its shard and signals it, or it held the lock first, and this thread,
            // taking it after, sees the flag raised before it blocks.
            shard.waiting.withLock { $0.insert(node) }
            defer { shard.waiting.withLock { $0.remove(node) } }
            return body()
        }
    }

    /// Lets the calling thread receive ``wakeSignal``: installs the handler, then unblocks the signal the
    /// first time a thread asks (threads started from a thread of a dispatch pool inherit its mask, which
    /// blocks almost every signal). Returns whether the signal is unblocked; a thread started by this one
    /// afterwards inherits its mask, and ``inheritPreparation()`` spares it the system call.
    @discardableResult
    static func prepareCurrentThread() -> Bool {
        _ = handlerInstalled
        return clinux_unblock_signal_once(wakeSignal) == 0
    }

    /// Records that the calling thread's creator had prepared itself before starting it, so that the
    /// thread's inherited mask already lets ``wakeSignal`` in.
    static func inheritPreparation() {
        clinux_note_signal_unblocked()
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

    /// Signals every thread in a wait. Under its shard's lock: a thread leaves its shard under it before its
    /// wait ends, so every thread signalled here is still alive.
    private static func wakeWaiting() {
        for shard in shards {
            shard.waiting.withLock { list in
                var node = list.first
                while let current = node {
                    pthread_kill(current.pointee.thread, wakeSignal)
                    node = current.pointee.next
                }
            }
        }
    }
}

/// A shard's threads in a wait: a doubly linked list of nodes that live on the waiting threads' stacks.
/// Only touched under its shard's lock, and a node only while its thread is in ``WaitInterruption/whileWaiting(_:)``.
private struct WaitingList {
    /// One waiting thread.
    struct Node {
        let thread: pthread_t
        var previous: UnsafeMutablePointer<Node>? = nil
        var next: UnsafeMutablePointer<Node>? = nil
    }

    /// A node's address, handed to the shard's lock.
    struct Entry: @unchecked Sendable {
        // @unchecked: the node is reached through the list only under the shard's lock, while its thread waits.
        let address: UnsafeMutablePointer<Node>

        init(_ address: UnsafeMutablePointer<Node>) {
            self.address = address
        }
    }

    private(set) var first: UnsafeMutablePointer<Node>? = nil

    mutating func insert(_ entry: Entry) {
        let node = entry.address
        node.pointee.next = first
        first?.pointee.previous = node
        first = node
    }

    mutating func remove(_ entry: Entry) {
        let node = entry.address
        if let previous = node.pointee.previous {
            previous.pointee.next = node.pointee.next
        } else {
            first = node.pointee.next
        }
        node.pointee.next?.pointee.previous = node.pointee.previous
    }
}
