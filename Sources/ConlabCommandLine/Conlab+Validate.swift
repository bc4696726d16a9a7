import ArgumentParser
import ConlabCore
import ConlabScenario

extension Conlab {
    /// `conlab validate`: check scenario files without running them.
    struct Validate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check scenario files and report every problem with file:line:column; run nothing.",
            discussion:
                "Exit status: 0 when every file is valid, 2 when any is not or no scenario file is found, 1 "
                + "when every file is valid but the output cannot be written."
        )

        @OptionGroup var scenarios: ScenarioOptions

        func run() throws {
            let loader = ScenarioLoader(registry: Conlab.registry, workloads: Conlab.workloads)
            let overrides = try scenarios.parsedOverrides()
            var invalid = 0
            let files = ScenarioFiles.expand(scenarios.files)
            if files.isEmpty {
                // As `run` does: a folder with nothing to check is a mistake, not a success.
                StandardError.print("no scenario files found in \(scenarios.files)")
                throw ExitCode(ExitStatus.invalidInput)
            }
            for file in files {
                do {
                    let scenario = try loader.load(file: file, overrides: overrides, seed: scenarios.seed)
                    StandardOutput.print(
                        "\(file): ok (\(scenario.name): \(scenario.strategies.map(\.strategy.label).joined(separator: ", ")))"
                    )
                } catch {
                    invalid += 1
                    StandardError.print(error.description)
                }
            }
            if invalid > 0 { throw ExitCode(ExitStatus.invalidInput) }
        }
    }
}
