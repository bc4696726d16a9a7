import ConlabCore

/// The physical floor under a measured time: a run cannot finish before its ideal schedule of waits.
///
/// Every modelled wait sleeps until an absolute deadline on the monotonic clock and never returns before
/// it, and the run is timed on that clock (nanosecond resolution), so an honest run is never shorter
/// than its ideal. A time below the floor means the waits did not happen — a strategy that skipped them,
/// a clock that jumped — and is an invalid measurement: never a pass, never a speed-up.
enum MeasurementFloor {
    /// How far below the floor a time may read and still count (``IdealSchedule/clockTolerance(idealSeconds:)``).
    static func tolerance(idealSeconds: Double) -> Double {
        IdealSchedule.clockTolerance(idealSeconds: idealSeconds)
    }

    /// Why a run of `wallSeconds` against a floor of `idealSeconds` cannot be true, or nil when it can be.
    static func problem(wallSeconds: Double, idealSeconds: Double) -> String? {
        guard idealSeconds > 0, wallSeconds < idealSeconds - tolerance(idealSeconds: idealSeconds) else {
            return nil
        }
        return "invalid measurement: finished in \(DurationFormat.human(wallSeconds)), below its ideal floor of "
            + "\(DurationFormat.human(idealSeconds)) (tolerance \(DurationFormat.human(tolerance(idealSeconds: idealSeconds)))): "
            + "its waits did not happen"
    }
}
