import ArgumentParser
import ConlabCore
import ConlabScenario

extension Conlab {
    /// `conlab strategies`: what can run, and what each accepts.
    struct Strategies: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the registered strategies: name, what each does, the workloads it runs, its options."
        )

        func run() {
            let registry = Conlab.registry
            let width = registry.strategies.map { ($0.name + aliases($0)).count }.max() ?? 0
            for strategy in registry.strategies {
                let name = strategy.name + aliases(strategy)
                let kinds = WorkloadSpec.kinds.filter { strategy.refusal(of: $0.traits, kind: $0.kind) == nil }.map(
                    \.kind
                )
                StandardOutput.print(name.padding(width) + "  " + strategy.summary)
                StandardOutput.print(
                    String(repeating: " ", count: width + 2) + "workloads: " + kinds.joined(separator: ", ")
                )
                for option in strategy.optionHelp {
                    StandardOutput.print(
                        String(repeating: " ", count: width + 2) + "option \(option.key): \(option.summary)"
                    )
                }
            }
        }

        private func aliases(_ strategy: any Strategy.Type) -> String {
            strategy.aliases.isEmpty ? "" : " (" + strategy.aliases.joined(separator: ", ") + ")"
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
