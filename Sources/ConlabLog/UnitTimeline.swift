/// `unit_timeline`: a sample of one strategy round's units as slices of time — compute on a thread, waits
/// apart — for a timeline of threads × time (`conlab report`). Written only under `conlab run --trace`,
/// once per measured round, just before its `result`.
///
/// Bounded like the trace it comes beside, and smaller: at most ``unitLimit`` units per round, every unit
/// of a smaller round and an even sample of a larger one (every ``every``-th unit to finish), so that a
/// million-unit round logs a few hundred units. Times are whole microseconds from the moment the round's
/// units began to be collected, just before the strategy's session opened.
public struct UnitTimeline: Sendable, Codable, Equatable {
    /// Units kept per round.
    public static let unitLimit = 200

    /// A stretch of one unit's time.
    public struct Slice: Sendable, Codable, Equatable {
        /// What the unit did.
        public enum Kind: String, Sendable, Codable {
            /// Computing on a thread.
            case compute
            /// Waiting in a step: on a thread it blocked, or with its task suspended.
            case wait
        }

        /// Which sampled unit, from 0, in the order they finished.
        public var unit: Int
        /// Computing or waiting.
        public var kind: Kind
        /// A wait's step, e.g. `game_logic`; `nil` for compute.
        public var step: String?
        /// The kernel thread the slice held; `nil` for a wait that held none (its task was suspended).
        public var thread: Int32?
        /// From, in microseconds since the round's start.
        public var start: Int64
        /// To, in microseconds since the round's start.
        public var end: Int64

        /// Creates a slice.
        public init(unit: Int, kind: Kind, step: String?, thread: Int32?, start: Int64, end: Int64) {
            self.unit = unit
            self.kind = kind
            self.step = step
            self.thread = thread
            self.start = start
            self.end = end
        }

        enum CodingKeys: String, CodingKey {
            case unit, kind, step, thread
            case start = "start_us"
            case end = "end_us"
        }

        /// Creates the slice from its fields in the log.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            unit = try container.decode(Int.self, forKey: .unit)
            kind = try container.decode(Kind.self, forKey: .kind)
            step = try container.decodeIfPresent(String.self, forKey: .step)
            thread = try container.decodeIfPresent(Int32.self, forKey: .thread)
            start = try container.decode(Int64.self, forKey: .start)
            end = try container.decode(Int64.self, forKey: .end)
        }

        /// Encodes every field, `null` included.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(unit, forKey: .unit)
            try container.encode(kind, forKey: .kind)
            try container.encode(step, forKey: .step)
            try container.encode(thread, forKey: .thread)
            try container.encode(start, forKey: .start)
            try container.encode(end, forKey: .end)
        }
    }

    /// The scenario's name.
    public var scenario: String
    /// The strategy's registered name.
    public var strategy: String
    /// The strategy with its options, as in its `result`.
    public var label: String
    /// The measured round, as in its `result`.
    public var repetition: Int
    /// Units that finished in the round.
    public var units: Int
    /// Units kept: those whose slices are here.
    public var sampledUnits: Int
    /// One unit kept in this many to finish (1: every unit).
    public var every: Int
    /// The kept units' slices.
    public var slices: [Slice]

    /// Creates the event.
    public init(
        scenario: String,
        strategy: String,
        label: String,
        repetition: Int,
        units: Int,
        sampledUnits: Int,
        every: Int,
        slices: [Slice]
    ) {
        self.scenario = scenario
        self.strategy = strategy
        self.label = label
        self.repetition = repetition
        self.units = units
        self.sampledUnits = sampledUnits
        self.every = every
        self.slices = slices
    }

    enum CodingKeys: String, CodingKey {
        case scenario, strategy, label, repetition, units, every, slices
        case sampledUnits = "sampled_units"
    }
}
