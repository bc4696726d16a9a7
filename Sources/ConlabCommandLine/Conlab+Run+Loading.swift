import ArgumentParser
import ConlabCore
import ConlabRunner
import ConlabScenario

extension Conlab.Run {
    /// The sweeps, parsed.
    func parsedSweeps() throws -> [ScenarioSweep] {
        try sweep.map { text in
            guard let sweep = ScenarioSweep(text) else {
                throw ValidationError("--sweep expects key.path=v1,v2,... with at least two values, got '\(text)'")
            }
            return sweep
        }
    }

    /// Every scenario file named, loaded with the overrides; with `--sweep`, once per setting, its name followed
    /// by the setting, and beside it, for the sweep's table, the name it had and its setting. A file that is
    /// not a valid scenario is printed and counted as `invalid`, and the next file read.
    func loadScenarios(
        registry: StrategyRegistry
    ) throws -> (scenarios: [Scenario], sweepPoints: [SweepPoint?], invalid: Bool) {
        let loader = ScenarioLoader(registry: registry, workloads: Conlab.workloads)
        let overrides = try scenarios.parsedOverrides()
        var loaded: [Scenario] = []
        var sweepPoints: [SweepPoint?] = []
        var invalid = false
        let sweeps = try parsedSweeps()
        let grid = sweeps.isEmpty ? [[]] : ScenarioSweep.grid(sweeps)
        for file in ScenarioFiles.expand(scenarios.files) {
            for setting in grid {
                do {
                    var scenario = try loader.load(file: file, overrides: overrides + setting, seed: scenarios.seed)
                    sweepPoints.append(sweeps.isEmpty ? nil : SweepPoint(scenario: scenario.name, setting: setting))
                    if !setting.isEmpty {
                        scenario.name += " [" + setting.map(\.description).joined(separator: ", ") + "]"
                    }
                    loaded.append(scenario)
                } catch {
                    invalid = true
                    StandardError.print(error.description)
                    break
                }
            }
        }
        return (loaded, sweepPoints, invalid)
    }
}
