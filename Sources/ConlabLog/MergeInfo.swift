/// `run_started.merged`: the shards `conlab merge` put together into this log, each with its machine.
///
/// Each `result` of a merged log names its shard (`RunResult.shard`), so a reader knows which machine
/// measured it: timings from different machines are never one median.
public struct MergeInfo: Sendable, Codable, Equatable {
    /// One shard's log, as merged.
    public struct Shard: Sendable, Codable, Equatable {
        /// The shard's number, from 0.
        public var index: Int
        /// The shard's log as `conlab merge` was given it.
        public var file: String
        /// The machine it ran on.
        public var machine: MachineInfo
        /// The command line that ran it.
        public var arguments: [String]
        /// The cells whose results this log holds from it.
        public var cells: [String]
        /// The shard's own exit status; `null` when its log was cut short before `run_finished`.
        public var exitStatus: Int32?

        /// Creates the description.
        public init(
            index: Int,
            file: String,
            machine: MachineInfo,
            arguments: [String],
            cells: [String],
            exitStatus: Int32?
        ) {
            self.index = index
            self.file = file
            self.machine = machine
            self.arguments = arguments
            self.cells = cells
            self.exitStatus = exitStatus
        }

        enum CodingKeys: String, CodingKey {
            case index, file, machine, arguments, cells
            case exitStatus = "exit_status"
        }

        /// Encodes every field, `null` included.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(index, forKey: .index)
            try container.encode(file, forKey: .file)
            try container.encode(machine, forKey: .machine)
            try container.encode(arguments, forKey: .arguments)
            try container.encode(cells, forKey: .cells)
            try container.encode(exitStatus, forKey: .exitStatus)
        }
    }

    /// How many shards the run was split into.
    public var count: Int
    /// Every cell of the whole run, in order.
    public var runCells: [String]
    /// The cells of the run this log holds no results for (`conlab merge --allow-missing`), in order.
    public var absentCells: [String]
    /// The shards merged, by number.
    public var shards: [Shard]

    /// Creates the description.
    public init(count: Int, runCells: [String], absentCells: [String], shards: [Shard]) {
        self.count = count
        self.runCells = runCells
        self.absentCells = absentCells
        self.shards = shards
    }

    enum CodingKeys: String, CodingKey {
        case count, shards
        case runCells = "run_cells"
        case absentCells = "absent_cells"
    }
}
