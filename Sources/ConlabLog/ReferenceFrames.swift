/// `reference_frames`: a few of the serial reference's grids of a grid workload (Life), for pictures of the
/// work (`conlab report`). Written once per scenario, after the reference is computed and before any
/// strategy runs.
///
/// Bounded, whatever the grid: only grids of at most ``maximumSide`` rows and columns are kept, and at
/// most ``maximumFrames`` of them, evenly spaced with the first and the last kept — at most 12 × 64 × 64
/// cells, about 50 kB. What the bound left out is said in ``leftOut``: a million-cell run logs its size and
/// the reason, no cells.
public struct ReferenceFrames: Sendable, Codable, Equatable {
    /// Rows and columns above which no grid is kept.
    public static let maximumSide = 64
    /// Grids kept at most.
    public static let maximumFrames = 12

    /// One grid kept.
    public struct Frame: Sendable, Codable, Equatable {
        /// Which grid: 0 is the initial pattern, *g* the grid after *g* generations.
        public var generation: Int
        /// The grid's rows, top to bottom, each a string of `*` (alive) and `-` (empty), one per column.
        public var rows: [String]

        /// Creates a frame.
        public init(generation: Int, rows: [String]) {
            self.generation = generation
            self.rows = rows
        }

        /// The live cells: the `*`s.
        public var liveCells: Int { rows.reduce(0) { $0 + $1.utf8.count(where: { $0 == UInt8(ascii: "*") }) } }
    }

    /// The scenario's name.
    public var scenario: String
    /// The grid's rows.
    public var rows: Int
    /// The grid's columns.
    public var columns: Int
    /// Grids the reference computed, the initial one included: generations + 1, or fewer when a unit fails.
    public var grids: Int
    /// The grids kept, in order.
    public var frames: [Frame]
    /// What was left out and why, or `nil` when every grid is here.
    public var leftOut: String?

    /// Creates the event.
    public init(scenario: String, rows: Int, columns: Int, grids: Int, frames: [Frame], leftOut: String?) {
        self.scenario = scenario
        self.rows = rows
        self.columns = columns
        self.grids = grids
        self.frames = frames
        self.leftOut = leftOut
    }

    /// The event for `grids` grids of `rows` × `columns` cells, within the bounds: `render(g)` gives grid
    /// *g*'s rows and is asked only for the grids kept — never for a grid too large to keep.
    public static func bounded(
        scenario: String,
        rows: Int,
        columns: Int,
        grids: Int,
        render: (Int) -> [String]
    ) -> ReferenceFrames {
        guard rows <= maximumSide && columns <= maximumSide else {
            return ReferenceFrames(
                scenario: scenario,
                rows: rows,
                columns: columns,
                grids: grids,
                frames: [],
                leftOut: "every grid: \(rows)×\(columns) is larger than the \(maximumSide)×\(maximumSide) kept"
            )
        }
        let kept = keptGenerations(of: grids)
        let leftOut =
            kept.count < grids
            ? "\(grids - kept.count) of \(grids) grids: at most \(maximumFrames) are kept, evenly spaced" : nil
        return ReferenceFrames(
            scenario: scenario,
            rows: rows,
            columns: columns,
            grids: grids,
            frames: kept.map { Frame(generation: $0, rows: render($0)) },
            leftOut: leftOut
        )
    }

    /// Every generation of a short run; of a longer one, ``maximumFrames`` evenly spaced from the first to
    /// the last.
    static func keptGenerations(of grids: Int) -> [Int] {
        guard grids > maximumFrames else { return Array(0..<grids) }
        return (0..<maximumFrames).map { ($0 * (grids - 1) + (maximumFrames - 1) / 2) / (maximumFrames - 1) }
    }

    enum CodingKeys: String, CodingKey {
        case scenario, rows, columns, grids, frames
        case leftOut = "left_out"
    }

    /// Creates the event from its fields in the log.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        scenario = try container.decode(String.self, forKey: .scenario)
        rows = try container.decode(Int.self, forKey: .rows)
        columns = try container.decode(Int.self, forKey: .columns)
        grids = try container.decode(Int.self, forKey: .grids)
        frames = try container.decode([Frame].self, forKey: .frames)
        leftOut = try container.decodeIfPresent(String.self, forKey: .leftOut)
    }

    /// Encodes every field, `null` included.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scenario, forKey: .scenario)
        try container.encode(rows, forKey: .rows)
        try container.encode(columns, forKey: .columns)
        try container.encode(grids, forKey: .grids)
        try container.encode(frames, forKey: .frames)
        try container.encode(leftOut, forKey: .leftOut)
    }
}
