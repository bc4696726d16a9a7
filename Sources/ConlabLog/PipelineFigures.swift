/// What a pipeline run achieved: the `pipeline` object of a `result` event.
public struct PipelineFigures: Sendable, Codable, Equatable {
    /// Items that entered.
    public var items: Int
    /// Items delivered per second of wall time.
    public var itemsPerSecond: Double
    /// End-to-end item latency percentiles (entering the first queue to leaving the last stage), seconds.
    public var latencyP50Seconds: Double
    /// 90th percentile.
    public var latencyP90Seconds: Double
    /// 99th percentile.
    public var latencyP99Seconds: Double
    /// The slowest item.
    public var latencyMaxSeconds: Double
    /// Per stage: busy time / (workers × wall time).
    public var stageUtilisation: [String: Double]
    /// Per stage: the most items its input queue held.
    public var maxQueueDepth: [String: Int]
    /// Queue checks under the polling discipline (0 when blocking).
    public var polls: Int
    /// Checks that found the queue empty.
    public var emptyPolls: Int
    /// Whether items left in the order they entered; `null` when several workers per stage allow reordering.
    public var orderKept: Bool?
    /// SHA-256 of every item's final value, in item order, as 16 hex digits per line.
    public var outputSHA256: String

    /// Creates the figures.
    public init(
        items: Int,
        itemsPerSecond: Double,
        latencyP50Seconds: Double,
        latencyP90Seconds: Double,
        latencyP99Seconds: Double,
        latencyMaxSeconds: Double,
        stageUtilisation: [String: Double],
        maxQueueDepth: [String: Int],
        polls: Int,
        emptyPolls: Int,
        orderKept: Bool?,
        outputSHA256: String
    ) {
        self.items = items
        self.itemsPerSecond = itemsPerSecond
        self.latencyP50Seconds = latencyP50Seconds
        self.latencyP90Seconds = latencyP90Seconds
        self.latencyP99Seconds = latencyP99Seconds
        self.latencyMaxSeconds = latencyMaxSeconds
        self.stageUtilisation = stageUtilisation
        self.maxQueueDepth = maxQueueDepth
        self.polls = polls
        self.emptyPolls = emptyPolls
        self.orderKept = orderKept
        self.outputSHA256 = outputSHA256
    }

    enum CodingKeys: String, CodingKey {
        case items, polls
        case itemsPerSecond = "items_per_second"
        case latencyP50Seconds = "latency_p50_seconds"
        case latencyP90Seconds = "latency_p90_seconds"
        case latencyP99Seconds = "latency_p99_seconds"
        case latencyMaxSeconds = "latency_max_seconds"
        case stageUtilisation = "stage_utilisation"
        case maxQueueDepth = "max_queue_depth"
        case emptyPolls = "empty_polls"
        case orderKept = "order_kept"
        case outputSHA256 = "output_sha256"
    }

    /// Encodes every field, `null` included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(itemsPerSecond, forKey: .itemsPerSecond)
        try container.encode(latencyP50Seconds, forKey: .latencyP50Seconds)
        try container.encode(latencyP90Seconds, forKey: .latencyP90Seconds)
        try container.encode(latencyP99Seconds, forKey: .latencyP99Seconds)
        try container.encode(latencyMaxSeconds, forKey: .latencyMaxSeconds)
        try container.encode(stageUtilisation, forKey: .stageUtilisation)
        try container.encode(maxQueueDepth, forKey: .maxQueueDepth)
        try container.encode(polls, forKey: .polls)
        try container.encode(emptyPolls, forKey: .emptyPolls)
        try container.encode(orderKept, forKey: .orderKept)
        try container.encode(outputSHA256, forKey: .outputSHA256)
    }

    /// The `q`-quantile (0...1) of `values`, by the nearest-rank method.
    package static func quantile(_ sorted: [Double], _ q: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = Int((q * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }
}
