import ArgumentParser
import ConlabExternal
import ConlabIO
import ConlabLog
import ConlabRunner
import ConlabScenario

extension Conlab {
    /// `conlab explain`: each strategy's plan for a scenario, before running anything.
    struct Explain: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "explain",
            abstract: "Show what each strategy would create for a scenario, and its ideal time, without running it.",
            discussion: """
                The units, phases and waiting steps; then per strategy the threads, processes (worker processes \
                and the children of the units in flight) and tasks it would create, the units it keeps in flight, \
                the memory that commits (estimated: 64 KiB per blocked thread, 2 KiB per waiting task, 48 bytes per \
                unit parked on conlab's event loop and 176–416 on NIO's, 22 MiB per worker process), the ideal floor of the run, and whether \
                it would refuse — over the thread cap, over the process cap (half of pid_max, threads-max or \
                RLIMIT_NPROC less the tasks running; RLIMIT_NOFILE for the children's pipes), over half of this \
                machine's memory, or a workload it does not run. A run refuses a strategy whose estimate is over \
                half of the machine's memory before starting it.

                It answers at once for any valid scenario. The serial reference (computed without waiting) runs \
                only for Life plans of at most 100,000 cell updates and pipelines of at most 100,000 item stages; \
                every other plan is worked out in closed form, exact where every unit waits alike. Beyond that \
                budget, Life with drawn latencies gets an ideal estimated from the latency's mean, marked ≈, or — \
                where only the reference could tell (a pipeline's always); a line under the header says so.

                Exit status: 0; 1 when the output cannot be written; 2 for an invalid scenario.
                """
        )

        @OptionGroup var scenarios: ScenarioOptions

        func run() throws {
            let loader = ScenarioLoader(registry: Conlab.registry, workloads: Conlab.workloads)
            let overrides = try scenarios.parsedOverrides()
            let machine = MachineInfo.current()
            let services = try Conlab.makeServices()
            var invalid = false
            var blocks: [String] = []
            for file in ScenarioFiles.expand(scenarios.files) {
                do {
                    let scenario = try loader.load(file: file, overrides: overrides, seed: scenarios.seed)
                    let explanation = PlanExplanation.explain(
                        scenario,
                        cores: machine.cores,
                        memoryBytes: machine.memoryBytes,
                        services: services.waits
                    )
                    blocks.append(([explanation.rendered] + Self.programNotes(scenario)).joined(separator: "\n"))
                } catch {
                    invalid = true
                    StandardError.print(error.description)
                }
            }
            if !blocks.isEmpty { StandardOutput.print(blocks.joined(separator: "\n\n")) }
            if invalid { throw ExitCode(ExitStatus.invalidInput) }
        }

        /// What conlab knows of each strategy program the scenario runs, and what it cannot know: the concurrency
        /// its manifest declares (the ideal floor's), the one process conlab starts, the options it is sent.
        static func programNotes(_ scenario: Scenario) -> [String] {
            scenario.strategies.compactMap { $0.strategy as? ExternalStrategy }.map { strategy in
                let manifest = strategy.manifest
                let concurrency =
                    (strategy.concurrency.map { "concurrency \($0)" } ?? "unbounded concurrency")
                    + (manifest.concurrencyOption.map { " (its option \($0))" } ?? "")
                let options = manifest.options.map { option in
                    "\(option.key): \(strategy.programOptions[option.key].map(option.written) ?? "?")"
                }
                return "\(strategy.label): a program (\(manifest.argv.joined(separator: " "))), \(concurrency) as its "
                    + "manifest declares; conlab starts 1 process and 1 thread to talk to it, and counts none of the "
                    + "threads or processes the program starts itself"
                    + (options.isEmpty ? "" : "; its options: " + options.joined(separator: ", "))
            }
        }
    }
}
