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

    /// Creates the event.
    public init(machine: MachineInfo, conlabVersion: String, arguments: [String], scenarios: [ScenarioReference]) {
        self.machine = machine
        self.conlabVersion = conlabVersion
        self.arguments = arguments
        self.scenarios = scenarios
    }

    enum CodingKeys: String, CodingKey {
        case machine, arguments, scenarios
        case conlabVersion = "conlab_version"
    }
}
