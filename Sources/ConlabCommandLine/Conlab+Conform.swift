import ArgumentParser
import ConlabCore
import ConlabExternal
import ConlabLog
import ConlabRunner
import ConlabScenario
import Foundation

extension Conlab {
    /// `conlab conform -- COMMAND...`: the strategy protocol's conformance suite, run against any program.
    struct Conform: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "conform",
            abstract: "Check that a strategy program speaks the strategy protocol correctly; no manifest needed.",
            discussion: """
                Starts COMMAND (argv, never a shell) once per case of the conformance suite \
                (docs/strategy-protocol.md) and runs small work of each kind given by --workloads through it as \
                `conlab run` would: Games of Life with and without waits, a 1×1 grid, several generations, calls \
                that time out or fail; CPU batches of factorize and gcd; pipelines with one and several workers a \
                stage, bounded buffers, polling queues and a failing stage. It prints each \
                case as it finishes and every problem found: a greeting in another version, a generation that \
                differs from the serial reference, a failure reported at another cell than the reference's, a \
                generation finished under its ideal floor at the declared concurrency (its waits did not \
                happen), a line that is not a protocol message, a program that dies, hangs past \
                --phase-timeout, or does not exit with status 0 after 'end' or at the end of its input. A \
                program that hangs ends the suite.

                Examples:
                  conlab conform -- python3 -u Plugins/python/strategy_serial.py
                  conlab conform --concurrency 8 --phase-timeout 5s -- ./my-strategy --threads 8
                  conlab conform --workloads all -- python3 -u Plugins/python/strategy_serial.py

                Exit status: 0 it conforms; 1 it does not; 2 no command, a bad --concurrency or \
                --phase-timeout, or a command that cannot be found; 64 a command-line usage error; 130 \
                interrupted.
                """
        )

        @Option(
            help: ArgumentHelp(
                "How many units the program may have waiting at once, as its manifest would declare: its generations are held to the ideal floor for it. A whole number, or 'unbounded'.",
                valueName: "n"
            )
        )
        var concurrency = "1"

        @Option(
            name: .customLong("phase-timeout"),
            help: ArgumentHelp(
                "The longest a generation may take before the program is taken for hung.",
                valueName: "duration"
            )
        )
        var phaseTimeout = "10s"

        @Option(
            help: ArgumentHelp(
                "The program's name in messages; by default the script it runs (the first argument naming a file) or the command's.",
                valueName: "name"
            )
        )
        var name: String?

        @Option(
            help: ArgumentHelp(
                "The work kinds the program runs, as its manifest would list them, comma-separated: life.generation, cpu.batch, pipeline, or 'all'. Only their cases are run.",
                valueName: "kinds"
            )
        )
        var workloads = "life.generation"

        @Argument(parsing: .postTerminator, help: "The program and its arguments, after '--'.")
        var command: [String] = []

        func run() async throws {
            let manifest = try makeManifest()
            let timeout = try parsedPhaseTimeout()
            let declared = manifest.concurrency.map { "concurrency \($0)" } ?? "unbounded concurrency"
            StandardOutput.print("conform: \(manifest.name): \(command.joined(separator: " "))")
            StandardOutput.print(
                "  protocol version 1, \(declared), phase timeout \(DurationFormat.short(timeout)), work "
                    + manifest.workloads.joined(separator: ", ")
            )
            let services = try Conlab.makeServices()
            let suite = ConformanceSuite(
                manifest: manifest,
                phaseTimeout: timeout,
                runner: ScenarioRunner(events: [], cores: MachineInfo.current().cores, services: services),
                loader: ScenarioLoader(registry: Conlab.registry, workloads: Conlab.workloads)
            )
            // The first Ctrl-C cancels the suite: the program in flight is killed and reaped, and conlab exits 130.
            let cancellation = RunCancellation()
            Interrupts.register(cancellation)
            defer { Interrupts.unregister() }
            let task = Task {
                await suite.run { check in
                    if check.problems.isEmpty {
                        StandardOutput.print("  pass  \(check.title)")
                    } else {
                        for problem in check.problems { StandardOutput.print("  FAIL  \(check.title): \(problem)") }
                    }
                }
            }
            cancellation.attach(task)
            let checks = await task.value
            if Interrupts.wasInterrupted { throw ExitCode(ExitStatus.interrupted) }
            if checks.last?.unavailable == true { throw ExitCode(ExitStatus.invalidInput) }
            let failed = checks.filter { !$0.problems.isEmpty }.count
            let total = suite.selected.count
            let skipped = total - checks.count
            if failed == 0 && skipped == 0 {
                StandardOutput.print(
                    "\(manifest.name) conforms to the strategy protocol, version 1: \(total) of \(total) cases pass"
                )
                return
            }
            let notRun = skipped == 0 ? "" : "; the other \(skipped) were not run, as it hung"
            StandardOutput.print(
                "\(manifest.name) does not conform to the strategy protocol, version 1: \(failed) of \(checks.count) "
                    + "cases run fail\(notRun)"
            )
            throw ExitCode(ExitStatus.failed)
        }

        /// The manifest a registered program would have: the command, the work kinds given, the declared concurrency, and
        /// the current folder to start in.
        private func makeManifest() throws -> StrategyManifest {
            guard let program = command.first, !program.isEmpty else {
                throw usage("no program to check; give its command after '--', e.g. conlab conform -- python3 x.py")
            }
            let units: Int?
            if concurrency == "unbounded" {
                units = nil
            } else if let count = Int(concurrency), count >= 1 {
                units = count
            } else {
                throw usage("--concurrency expects a whole number from 1, or 'unbounded', not '\(concurrency)'")
            }
            let kinds =
                workloads == "all"
                ? ConformanceSuite.kinds
                : workloads.split(separator: ",", omittingEmptySubsequences: false).map {
                    $0.trimmingCharacters(in: .whitespaces)
                }
            if let unknown = kinds.first(where: { !ConformanceSuite.kinds.contains($0) }) {
                throw usage(
                    "--workloads expects kinds among \(ConformanceSuite.kinds.joined(separator: ", ")), or 'all', "
                        + "not '\(unknown)'"
                )
            }
            let label = name ?? Self.defaultName(of: command)
            guard StrategyManifest.isValidName(label) else {
                throw usage("--name expects letters, digits, '-', '_' or '.', not '\(label)'")
            }
            return StrategyManifest(
                name: label,
                description: "the program under test",
                argv: command,
                workloads: kinds,
                concurrency: units,
                directory: FileManager.default.currentDirectoryPath
            )
        }

        private func parsedPhaseTimeout() throws -> Duration {
            guard let timeout = DurationSyntax.parse(phaseTimeout), timeout > .zero else {
                throw usage("--phase-timeout expects a positive duration such as 10s or 500ms, not '\(phaseTimeout)'")
            }
            return timeout
        }

        /// Prints `message` and the usage, and gives the status of invalid arguments.
        private func usage(_ message: String) -> ExitCode {
            StandardError.print("conlab conform: \(message)")
            StandardError.print(
                "usage: conlab conform [--concurrency n] [--phase-timeout duration] [--workloads kinds] -- COMMAND..."
            )
            return ExitCode(ExitStatus.invalidInput)
        }

        /// The script a runtime runs names the program better than the runtime does: `python3 -u
        /// Plugins/python/strategy_serial.py` is `strategy_serial`. Characters a name cannot hold become `-`.
        static func defaultName(of command: [String]) -> String {
            let script = command.dropFirst().first { !$0.hasPrefix("-") && FileManager.default.fileExists(atPath: $0) }
            let base = (((script ?? command[0]) as NSString).lastPathComponent as NSString).deletingPathExtension
            let cleaned = String(base.map { StrategyManifest.isValidName(String($0)) ? $0 : "-" })
            return StrategyManifest.isValidName(cleaned) ? cleaned : "program"
        }
    }
}
