import ArgumentParser
import ConlabScenario

/// Options shared by the commands that read scenario files.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "Scenario files (YAML), or folders of them.", completion: .file(extensions: ["yaml", "yml"]))
    var files: [String]

    @Option(
        name: .customLong("set"),
        help: ArgumentHelp(
            "Override a scenario field before validation, e.g. workload.generations=10 (repeatable).",
            valueName: "key.path=value"
        )
    )
    var overrides: [String] = []

    @Option(help: "Override the scenario's random seed.")
    var seed: UInt64?

    @Option(
        name: .customLong("strategy-path"),
        help: ArgumentHelp(
            "A strategy manifest, or a folder of them, searched before every other (repeatable).",
            valueName: "path"
        )
    )
    var strategyPaths: [String] = []

    /// Rejects a malformed `--set` while parsing, so the usage shown is this subcommand's.
    func validate() throws {
        _ = try parsedOverrides()
    }

    /// The overrides, parsed.
    func parsedOverrides() throws -> [ScenarioOverride] {
        try overrides.map { text in
            guard let override = ScenarioOverride(text) else {
                throw ValidationError("--set expects key.path=value, got '\(text)'")
            }
            return override
        }
    }
}
