import ConlabCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Blocks the calling thread in the kernel, the way a thread blocked on a socket waits.
///
/// A sleeping thread wakes some tens of microseconds after its deadline (about 60 µs at the median on the
/// 2-core machines conlab is measured on, with the timer slack already at 1 ns), so a modelled 1 ms wait
/// would last 1.06 ms. To end modelled waits when they are due, ``sleepPrecisely(until:)`` asks the
/// kernel to wake it ``finishMargin`` early and spins on the clock for the rest — but only while fewer
/// threads spin than there are cores, so that spinning never takes a core from a thread with work to
/// do; the others sleep the whole way. The wait is still a real `clock_nanosleep` for all but its last
/// microseconds. Nor does it spin while more than ``crowd`` threads are in modelled waits at once: there
/// the deadlines come due every few microseconds, spin slots are never free for long, and the spinning
/// took the cores that the next threads needed to start (thread at 10,000 cells: 0.54 → 0.46 s a
/// generation without spinning, on two cores, by bench/probes/alternate_builds.py). Such waits end as late as the kernel wakes them, as a C
/// program's would. Housekeeping sleeps (``sleep(for:)``) never spin. A modelled wait ends early when the
/// process is interrupted (``WaitInterruption``); a housekeeping sleep does not.
public enum BlockingSleep {
    /// How early a sleep wakes to spin to its deadline: above the median wake-up latency and near its
    /// 99th percentile as measured, so most waits end within a microsecond of being due.
    public static let finishMargin = Duration.microseconds(100)
    /// ``finishMargin`` in nanoseconds.
    public static let finishMarginNanoseconds = finishMargin.wholeNanoseconds

    /// How many threads may spin at once: one per core.
    static let spinSlots = UsableCores.count
    private static let spinners = Atomic<Int>(0)
    /// Past this many threads in modelled waits at once, none spins: two per core.
    static let crowd = 2 * UsableCores.count
    /// Threads in ``sleepPrecisely(until:)`` now.
    private static let sleepers = Atomic<Int>(0)

    /// Sleeps until `duration` has passed on the monotonic clock, in the kernel the whole way: for
    /// housekeeping (samplers, status lines, polling intervals), whose lateness measures nothing.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    public static func sleep(for duration: Duration) {
        guard duration > .zero else { return }
        sleepInKernel(until: .after(duration))
    }

    /// Sleeps until `deadline` as a modelled wait should: in `clock_nanosleep(TIMER_ABSTIME)` (restarted
    /// after `EINTR`, so a signal does not stretch the wait), then spinning the last ``finishMargin``
    /// when a spin slot is free.
    ///
    /// Returns `false`, early, when the process is interrupted (``WaitInterruption``) before the deadline.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    @discardableResult
    public static func sleepPrecisely(until deadline: Deadline) -> Bool {
        let crowded = sleepers.wrappingAdd(1, ordering: .relaxed).newValue > crowd
        defer { sleepers.subtract(1, ordering: .relaxed) }
        // In a crowd no thread spins: one sleep to the deadline, not one to the margin and another after.
        if crowded { return WaitInterruption.whileWaiting { sleepUnlessInterrupted(until: deadline) } }
        let early = Deadline(nanoseconds: deadline.nanoseconds - finishMarginNanoseconds)
        if Deadline.now < early {
            let slept = WaitInterruption.whileWaiting { sleepUnlessInterrupted(until: early) }
            guard slept else { return false }
        }
        guard Deadline.now < deadline else { return true }
        if sleepers.load(ordering: .relaxed) <= crowd && takeSpinSlot() {
            spin(until: deadline)
            spinners.subtract(1, ordering: .releasing)
            return true
        }
        return WaitInterruption.whileWaiting { sleepUnlessInterrupted(until: deadline) }
    }

    /// Busy-waits on the clock until `deadline`; for callers that own a core (an event loop thread).
    public static func spin(until deadline: Deadline) {
        while Deadline.now < deadline {}
    }

    /// Takes one of the ``spinSlots`` if one is free.
    private static func takeSpinSlot() -> Bool {
        var current = spinners.load(ordering: .relaxed)
        while current < spinSlots {
            let (exchanged, original) = spinners.compareExchange(
                expected: current,
                desired: current + 1,
                ordering: .acquiring
            )
            if exchanged { return true }
            current = original
        }
        return false
    }

    private static func sleepInKernel(until deadline: Deadline) {
        var time = deadline.absoluteTime
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &time, nil) == EINTR {}
    }

    /// Sleeps until `deadline`, or until the process is interrupted: then `false`.
    private static func sleepUnlessInterrupted(until deadline: Deadline) -> Bool {
        var time = deadline.absoluteTime
        while !WaitInterruption.isRaised {
            if clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &time, nil) != EINTR { return true }
        }
        return false
    }
}
