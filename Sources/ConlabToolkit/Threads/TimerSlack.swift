import CLinux

/// Linux lets the kernel delay a sleeping thread's wake-up by its "timer slack" (50 µs by default) to
/// batch wake-ups. conlab measures waits, so its threads ask for 1 ns instead: a 1 ms wait then lasts
/// 1 ms plus the wake-up latency, not plus up to 50 µs more. Threads inherit the slack of their creator.
public enum TimerSlack {
    /// Sets the calling thread's timer slack to 1 ns; one `prctl` the first time a thread asks, none after
    /// (nor in a thread whose creator had asked before starting it: see ``inheritMinimum()``). Returns
    /// whether the slack is 1 ns.
    @discardableResult
    public static func minimizeForCurrentThread() -> Bool {
        clinux_minimize_timer_slack_once() != 0
    }

    /// The calling thread's timer slack.
    public static var current: Duration { .nanoseconds(clinux_timer_slack()) }

    /// Records that the calling thread inherited 1 ns from its creator, which had called
    /// ``minimizeForCurrentThread()`` before starting it.
    static func inheritMinimum() {
        clinux_note_timer_slack_minimized()
    }
}
