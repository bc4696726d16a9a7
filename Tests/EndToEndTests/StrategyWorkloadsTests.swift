import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// A strategy's declaration of what it runs is the one answer of `validate`, `run` and `strategies`.
    @Suite("Which workloads each strategy runs")
    struct StrategyWorkloadsTests {
        /// A syscall workload, whose units cannot be sent to another process, listing `process`.
        static let syscallUnderProcess = """
            name: syscall-process
            workload:
              kind: syscall
              calls: 2
              timeout: 1ms
            strategies: [serial, process]
            """

        @Test("validate rejects process for a syscall workload, at the strategy's place in the file")
        func validateRejects() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let file = try folder.write(Self.syscallUnderProcess, to: "syscall.yaml")
            let output = try await ConlabBinary.run(["validate", file])
            #expect(output.status == 2, "\(output.standardOutput)")
            #expect(
                output.standardError.hasPrefix(
                    "\(file):6:22: strategies.1: strategy 'process' cannot run syscall workloads"
                ),
                "\(output.standardError)"
            )
        }

        @Test("run refuses before starting anything, and --strategies process is refused the same way")
        func runRejects() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let file = try folder.write(Self.syscallUnderProcess, to: "syscall.yaml")
            let listed = try await ConlabBinary.run([
                "run", file, "--log", folder.url.appendingPathComponent("listed.jsonl").path,
            ])
            #expect(listed.status == 2)
            #expect(listed.standardError.contains("strategy 'process' cannot run syscall workloads"))
            #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("listed.jsonl").path))

            let plain = try folder.write(
                Self.syscallUnderProcess.replacingOccurrences(of: "[serial, process]", with: "[serial]"),
                to: "plain.yaml"
            )
            let selected = try await ConlabBinary.run([
                "run", plain, "--strategies", "process", "--log",
                folder.url.appendingPathComponent("selected.jsonl").path,
            ])
            #expect(selected.status == 2)
            #expect(selected.standardError.contains("strategy 'process' cannot run syscall workloads"))
            #expect(!selected.standardOutput.contains("refused"))
        }

        @Test("strategies lists for process only the workloads it runs")
        func listing() async throws {
            let output = try await ConlabBinary.run(["strategies"])
            #expect(output.status == 0)
            let lines = output.standardOutput.split(separator: "\n").map(String.init)
            let process = try #require(lines.firstIndex { $0.hasPrefix("process") })
            #expect(
                lines[process + 1].trimmingCharacters(in: .whitespaces) == "workloads: life, pipeline, cpu, subprocess"
            )
        }
    }
}
