import ConlabCore
import Histogram
import Synchronization

/// How long the units of one run took, each from its first step to its output: an HDR histogram with
/// three significant digits, from 1 µs to one hour, summarised.
public struct UnitLatency: Sendable, Codable, Equatable {
    /// Units measured.
    public var count: Int
    /// Percentiles and the largest, in seconds.
    public var p50Seconds: Double
    /// 90th percentile.
    public var p90Seconds: Double
    /// 99th percentile.
    public var p99Seconds: Double
    /// The slowest unit.
    public var maxSeconds: Double

    enum CodingKeys: String, CodingKey {
        case count
        case p50Seconds = "p50_seconds"
        case p90Seconds = "p90_seconds"
        case p99Seconds = "p99_seconds"
        case maxSeconds = "max_seconds"
    }
}

/// The sink the runner installs around a strategy run (``UnitTimings``): every unit's latency into a
/// histogram, and into the trace when one is written.
final class UnitLatencyRecorder: UnitTimings.Sink {
    private let histogram = Mutex(
        Histogram<UInt64>(lowestDiscernibleValue: 1000, highestTrackableValue: 3_600_000_000_000)
    )
    private let trace: TraceRun?

    init(trace: TraceRun? = nil) {
        self.trace = trace
    }

    var tracesSlices: Bool { trace != nil }

    func finished(
        _ coordinates: UnitCoordinates,
        start: ContinuousClock.Instant,
        end: ContinuousClock.Instant,
        slices: [UnitTimings.Slice]
    ) {
        record(end - start)
        trace?.add(coordinates, start: start, end: end, slices: slices)
    }

    func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = max(0, seconds) * 1_000_000_000 + attoseconds / 1_000_000_000
        histogram.withLock { _ = $0.record(UInt64(clamping: nanoseconds)) }
    }

    /// The summary; `nil` when no unit reported (a run in worker processes, or one that never started).
    var summary: UnitLatency? {
        histogram.withLock { histogram in
            guard histogram.totalCount > 0 else { return nil }
            func seconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e9 }
            return UnitLatency(
                count: Int(histogram.totalCount),
                p50Seconds: seconds(histogram.valueAtPercentile(50)),
                p90Seconds: seconds(histogram.valueAtPercentile(90)),
                p99Seconds: seconds(histogram.valueAtPercentile(99)),
                maxSeconds: seconds(histogram.max)
            )
        }
    }
}
