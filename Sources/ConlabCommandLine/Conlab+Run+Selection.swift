import ArgumentParser
import ConlabCore
import ConlabScenario
import Foundation

extension Conlab.Run {
    func selection(registry: StrategyRegistry) throws -> [Selection]? {
        guard let strategies else { return nil }
        let names = strategies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return try names.map { name in
            if let type = registry.strategy(named: name) { return Selection(type: type, preset: nil) }
            // A strategy program's name: the `external` strategy with `program: NAME`.
            if let preset = registry.preset(named: name) { return Selection(type: preset.strategy, preset: preset) }
            StandardError.print(
                "--strategies: unknown strategy '\(name)'; expected one of \(registry.allNames.joined(separator: ", "))"
            )
            throw ExitCode(ExitStatus.invalidInput)
        }
    }

    /// A strategy picked with `--strategies`.
    struct Selection {
        let type: any Strategy.Type
        /// The preset it was picked by, when its name is one.
        let preset: StrategyPreset?

        /// The scenario's entries for this strategy, or one with default options when it lists none.
        func specs(for scenario: Scenario) throws -> [StrategySpec] {
            if let refusal = type.refusal(of: scenario.workload.traits, kind: scenario.workload.kind) {
                StandardError.print("--strategies: \(scenario.file): \(refusal)")
                throw ExitCode(ExitStatus.invalidInput)
            }
            let listed = scenario.strategies.filter { preset?.matches($0) ?? ($0.name == type.name) }
            if !listed.isEmpty { return listed }
            let fixed = (preset?.options ?? [:]).mapValues { StrategyOptions.Entry(value: $0, location: .unknown) }
            do {
                return [StrategySpec(strategy: try type.init(options: StrategyOptions(fixed)), location: .unknown)]
            } catch {
                let name = preset?.name ?? type.name
                StandardError.print("--strategies: \(name) needs options the scenario does not give: \(error)")
                throw ExitCode(ExitStatus.invalidInput)
            }
        }
    }
}
