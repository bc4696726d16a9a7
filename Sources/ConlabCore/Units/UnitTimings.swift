import CLinux
import Synchronization

/// Where finished units report how long they took, from their first step to their output — and, when a
/// trace is being written, what they did meanwhile: the drivers (``WorkUnit/runBlocking(using:)``,
/// ``WorkUnit/runSuspending(using:)``) and strategies that drive units step by step report here; the runner
/// installs a sink around each strategy run.
///
/// Process-wide, because units run on threads and tasks a strategy creates, out of reach of task-local
/// values: one run at a time per process sees its own units (runs inside worker processes report none).
public enum UnitTimings {
    /// Part of a unit's life, for a trace.
    public enum Slice: Sendable {
        /// `advance()` computing on kernel thread `thread`.
        case compute(start: ContinuousClock.Instant, end: ContinuousClock.Instant, thread: Int32)
        /// A wait in `step`; `thread` when it blocked one, `nil` when the unit's task was suspended.
        case wait(step: String, start: ContinuousClock.Instant, end: ContinuousClock.Instant, thread: Int32?)
    }

    /// Receives finished units. A class, so that drivers pass it around as one reference, not a box.
    public protocol Sink: AnyObject, Sendable {
        /// Whether the sink wants each unit's slices; when `false` none are collected.
        var tracesSlices: Bool { get }
        /// The unit at `coordinates` ran from `start` to `end`; `slices` is empty unless ``tracesSlices``.
        /// The coordinates are made only if the sink reads them (a trace does; a histogram does not).
        func finished(
            _ coordinates: @autoclosure () -> UnitCoordinates,
            start: ContinuousClock.Instant,
            end: ContinuousClock.Instant,
            slices: [Slice]
        )
        /// A modelled wait lasted `error` longer than drawn (negative: shorter).
        func waited(beyond error: Duration)
        /// Many reports at once, in nanoseconds — modelled waits' errors and untraced units' latencies —
        /// from a driver that runs thousands of units on one thread (``UnitReportBuffer``).
        func record(waitErrors: UnsafeBufferPointer<Int64>, unitLatencies: UnsafeBufferPointer<Int64>)
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

    /// The sink of the run in progress, if any: drivers read it once per unit.
    public static var current: (any Sink)? { sink.withLock { $0 } }

    /// Reports how much longer than drawn a modelled wait lasted.
    public static func waited(beyond error: Duration) {
        sink.withLock { $0 }?.waited(beyond: error)
    }

    /// Reports the unit at `coordinates`, started at `start`, finished now.
    public static func finished(
        _ coordinates: @autoclosure () -> UnitCoordinates,
        since start: ContinuousClock.Instant,
        slices: [Slice] = []
    ) {
        guard let sink = sink.withLock({ $0 }) else { return }
        sink.finished(coordinates(), start: start, end: .now, slices: slices)
    }

    /// The calling thread's kernel id.
    public static var currentThread: Int32 { clinux_gettid() }
}
