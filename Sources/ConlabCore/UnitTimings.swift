import Synchronization

/// Where finished units report how long they took, from their first step to their output: the drivers
/// (``WorkUnit/runBlocking()``, ``WorkUnit/runSuspending()``) and strategies that drive units step by
/// step report through ``record(since:)``; the runner installs a sink around each strategy run.
///
/// Process-wide, because units run on threads and tasks a strategy creates, out of reach of task-local
/// values: one run at a time per process sees its own units (runs inside worker processes report none).
public enum UnitTimings {
    /// Receives each finished unit's latency.
    public protocol Sink: Sendable {
        /// One unit took `duration` from its first step to its output.
        func record(_ duration: Duration)
    }

    private static let sink = Mutex<(any Sink)?>(nil)

    /// Sends every unit finished while `body` runs to `sink`.
    public static func measuring<Result>(
        into sink: any Sink,
        _ body: () async throws -> Result
    ) async rethrows
        -> Result
    {
        self.sink.withLock { $0 = sink }
        defer { self.sink.withLock { $0 = nil } }
        return try await body()
    }

    /// Reports a unit that started at `started` and has just finished.
    public static func record(since started: ContinuousClock.Instant) {
        guard let sink = sink.withLock({ $0 }) else { return }
        sink.record(ContinuousClock.now - started)
    }
}
