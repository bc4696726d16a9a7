/// `run_started.shard`: which share of a run a `conlab run --shard I/N` ran, and of what whole.
///
/// A run's cells are its scenarios (one per `--sweep` setting) times its repetitions, in the order the run
/// lists them; cell `k` belongs to shard `k % count`, so every machine splits the same files and flags the
/// same way. Every strategy of a cell runs in the cell's shard.
public struct ShardInfo: Sendable, Codable, Equatable {
    /// This shard's number, from 0.
    public var index: Int
    /// How many shards the run is split into.
    public var count: Int
    /// The cells this shard runs, in order; empty when the run has fewer cells than shards.
    public var cells: [String]
    /// Every cell of the whole run, in order.
    public var runCells: [String]
    /// SHA-256 over every scenario as loaded (file digest, name after `--sweep`, seed) and the `--set`
    /// overrides: shards of one run have the same.
    public var scenariosSHA256: String

    /// Creates the description.
    public init(index: Int, count: Int, cells: [String], runCells: [String], scenariosSHA256: String) {
        self.index = index
        self.count = count
        self.cells = cells
        self.runCells = runCells
        self.scenariosSHA256 = scenariosSHA256
    }

    /// The cell a result belongs to: its scenario (with any sweep setting) and its repetition.
    public static func cell(scenario: String, repetition: Int) -> String { "\(scenario) #\(repetition)" }

    /// The cell `result` belongs to.
    public static func cell(of result: RunResult) -> String {
        cell(scenario: result.scenario, repetition: result.repetition)
    }

    /// The cells of `runCells` that shard `index` of `count` runs: every `count`th, from the `index`th.
    public static func cells(of runCells: [String], index: Int, count: Int) -> [String] {
        runCells.enumerated().filter { $0.offset % count == index }.map(\.element)
    }

    enum CodingKeys: String, CodingKey {
        case index, count, cells
        case runCells = "run_cells"
        case scenariosSHA256 = "scenarios_sha256"
    }
}
