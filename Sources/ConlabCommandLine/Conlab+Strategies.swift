import ArgumentParser
import ConlabCore
import ConlabExternal
import ConlabScenario

extension Conlab {
    /// `conlab strategies`: what can run, and what each accepts.
    struct Strategies: ParsableCommand, ManifestReading {
        static let configuration = CommandConfiguration(
            commandName: "strategies",
            abstract: "List the registered strategies: name, what each does, the workloads it runs, its options."
        )

        @Option(
            name: .customLong("strategy-path"),
            help: ArgumentHelp(
                "A strategy manifest, or a folder of them, searched before every other (repeatable).",
                valueName: "path"
            )
        )
        var strategyPaths: [String] = []

        func run() {
            let registry = Conlab.registry
            let width = registry.strategies.map { ($0.name + aliases($0)).count }.max() ?? 0
            for strategy in registry.strategies {
                let name = strategy.name + aliases(strategy)
                let kinds = Conlab.workloads.workloads.filter { strategy.refusal(of: $0.traits, kind: $0.kind) == nil }
                    .map { $0.kind }
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
            if registry.strategy(named: ExternalStrategy.name) != nil { listPrograms() }
        }

        /// The strategy programs registered by manifests, which scenarios name as they name a strategy (or as
        /// `external: { program: NAME }`), with the options each manifest declares.
        private func listPrograms() {
            let found = StrategyManifest.all()
            let folders = StrategyManifest.searchFolders.joined(separator: ", ")
            StandardOutput.print("")
            StandardOutput.print(
                "strategy programs (NAME, or external: { program: NAME }), from manifests in \(folders):"
            )
            let width = found.manifests.map(\.name.count).max() ?? 0
            let indent = "  " + String(repeating: " ", count: width + 2)
            for manifest in found.manifests {
                StandardOutput.print("  " + manifest.name.padding(width) + "  " + manifest.description)
                let concurrency = manifest.concurrencyDescription
                StandardOutput.print(
                    indent + "work: " + manifest.workloads.joined(separator: ", ") + "; \(concurrency); runs: "
                        + manifest.argv.joined(separator: " ")
                )
                if !manifest.programIsFound {
                    let install = manifest.install.map { "; install it with: \($0)" } ?? ""
                    StandardOutput.print(indent + "unavailable: \(manifest.argv.first ?? "") was not found\(install)")
                }
                for option in manifest.options.map(\.optionHelp) {
                    StandardOutput.print(indent + "option \(option.key): \(option.summary)")
                }
                if Conlab.registry.strategy(named: manifest.name) != nil {
                    StandardOutput.print(
                        indent + "(its name is a built-in strategy's: write external: { program: NAME })"
                    )
                }
            }
            if found.manifests.isEmpty { StandardOutput.print("  none") }
            for problem in found.problems { StandardOutput.print("  unreadable: \(problem)") }
        }

        private func aliases(_ strategy: any Strategy.Type) -> String {
            strategy.aliases.isEmpty ? "" : " (" + strategy.aliases.joined(separator: ", ") + ")"
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
