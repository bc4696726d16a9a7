public import ConlabCore

/// The deadlines of modelled waits in monotonic nanoseconds, for a driver that starts very many of them.
///
/// A duration's whole nanoseconds take a 128-bit division, and the waits of a fixed latency are all equal, so
/// the last duration's nanoseconds are kept: the division was an eighth of an event loop's instructions at ten
/// million cells (callgrind). One driver's, on one thread.
public struct WaitDeadlines {
    @usableFromInline var lastDuration = Duration.zero
    @usableFromInline var lastNanoseconds: Int64 = 0

    /// No duration seen yet.
    public init() {}

    /// `now` plus `duration`, in monotonic nanoseconds; `Int64.max` past the clock's end.
    @inlinable
    public mutating func deadline(after duration: Duration, from now: Int64) -> Int64 {
        if duration != lastDuration {
            lastDuration = duration
            lastNanoseconds = duration.wholeNanoseconds
        }
        let (deadline, overflow) = now.addingReportingOverflow(lastNanoseconds)
        return overflow ? .max : deadline
    }
}
