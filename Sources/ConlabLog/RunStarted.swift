/// `run_started`: the machine, the build and the scenarios of a run.
public struct RunStarted: Sendable, Codable, Equatable {
    /// The machine.
    public var machine: MachineInfo
    /// conlab's version.
    public var conlabVersion: String
    /// The command line.
    public var arguments: [String]
    /// The scenarios about to run.
    public var scenarios: [ScenarioReference]
    /// With `--shard I/N`: which share of the run this is; absent from a run that is not split.
    public var shard: ShardInfo?
    /// In a log `conlab merge` wrote: the shards it holds and their machines; absent otherwise.
    public var merged: MergeInfo?

    /// Creates the event.
    public init(
        machine: MachineInfo,
        conlabVersion: String,
        arguments: [String],
        scenarios: [ScenarioReference],
        shard: ShardInfo? = nil,
        merged: MergeInfo? = nil
    ) {
        self.machine = machine
        self.conlabVersion = conlabVersion
        self.arguments = arguments
        self.scenarios = scenarios
        self.shard = shard
        self.merged = merged
    }

    /// The machine that measured `result`, a result of the run this event started: in a merged log, its
    /// shard's machine.
    public func machine(of result: RunResult) -> MachineInfo {
        guard let merged, let index = result.shard, let shard = merged.shards.first(where: { $0.index == index })
        else { return machine }
        return shard.machine
    }

    enum CodingKeys: String, CodingKey {
        case machine, arguments, scenarios, shard, merged
        case conlabVersion = "conlab_version"
    }
}
