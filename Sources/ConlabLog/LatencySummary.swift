/// Durations recorded in an HDR histogram (three significant digits, 1 µs to one hour), summarised: each
/// unit's latency, or each modelled wait's error.
public struct LatencySummary: Sendable, Codable, Equatable {
    /// Durations recorded.
    public var count: Int
    /// The median, in seconds.
    public var p50Seconds: Double
    /// 90th percentile.
    public var p90Seconds: Double
    /// 99th percentile.
    public var p99Seconds: Double
    /// The largest.
    public var maxSeconds: Double

    /// Creates a summary.
    public init(count: Int, p50Seconds: Double, p90Seconds: Double, p99Seconds: Double, maxSeconds: Double) {
        self.count = count
        self.p50Seconds = p50Seconds
        self.p90Seconds = p90Seconds
        self.p99Seconds = p99Seconds
        self.maxSeconds = maxSeconds
    }

    enum CodingKeys: String, CodingKey {
        case count
        case p50Seconds = "p50_seconds"
        case p90Seconds = "p90_seconds"
        case p99Seconds = "p99_seconds"
        case maxSeconds = "max_seconds"
    }
}
