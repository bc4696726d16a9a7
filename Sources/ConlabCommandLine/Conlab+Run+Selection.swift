import ArgumentParser
import ConlabCore
import ConlabScenario
import Foundation

extension Conlab.Run {
    func selection(registry: StrategyRegistry) throws -> [Selection]? {
        guard let strategies else { return nil }
        let names = strategies.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        return try names.map { name in
            guard let type = registry.strategy(named: name) else {
                StandardError.print(
                    "--strategies: unknown strategy '\(name)'; expected one of \(registry.names.joined(separator: ", "))"
                )
                throw ExitCode(ExitStatus.invalidInput)
            }
            return Selection(type: type)
        }
    }

    /// A strategy picked with `--strategies`.
    struct Selection {
        let type: any Strategy.Type

        /// The scenario's entries for this strategy, or one with default options when it lists none.
        func specs(for scenario: Scenario) throws -> [StrategySpec] {
            if let refusal = type.refusal(of: scenario.workload.traits, kind: scenario.workload.kind) {
                StandardError.print("--strategies: \(scenario.file): \(refusal)")
                throw ExitCode(ExitStatus.invalidInput)
            }
            let listed = scenario.strategies.filter { $0.name == type.name }
            if !listed.isEmpty { return listed }
            do {
                return [StrategySpec(strategy: try type.init(options: StrategyOptions()), location: .unknown)]
            } catch {
                StandardError.print("--strategies: \(type.name) needs options the scenario does not give: \(error)")
                throw ExitCode(ExitStatus.invalidInput)
            }
        }
    }
}
