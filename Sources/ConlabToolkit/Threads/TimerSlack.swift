import CLinux

/// Linux lets the kernel delay a sleeping thread's wake-up by its "timer slack" (50 µs by default) to
/// batch wake-ups. conlab measures waits, so its threads ask for 1 ns instead: a 1 ms wait then lasts
/// 1 ms plus the wake-up latency, not plus up to 50 µs more. Threads inherit the slack of their creator.
public enum TimerSlack {
    /// Sets the calling thread's timer slack to 1 ns; one `prctl`, so starting a thread stays cheap.
    public static func minimizeForCurrentThread() {
        _ = clinux_set_timer_slack(1)
    }
}
