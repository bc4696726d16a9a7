import ConlabTestSupport
import Testing

@Suite("conlab validate, strategies and help")
struct CommandLineTests {
    @Test("Every bundled scenario is valid")
    func validateBundled() async throws {
        let output = try await ConlabBinary.run(["validate", "scenarios/"])
        #expect(output.status == 0, "\(output.standardError)")
        #expect(output.standardOutput.contains("scenarios/life-glider.yaml: ok (life-glider: serial, async)"))
    }

    @Test("validate reports each problem with its location and exits 2")
    func validateBroken() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let broken = try folder.write(
            """
            name: broken
            workload:
              kind: life
              rows: 5
              columns: 9
              generations: 4
              pattern: { named: glider, at: [4, 0] }
              io: { step: game_logic, latency: 100 }
            strategies: [serial, threads]
            """,
            to: "broken.yaml"
        )
        let output = try await ConlabBinary.run(["validate", broken])
        #expect(output.status == 2)
        let lines = output.standardError.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("\(broken):8:36: workload.io.latency: expected a duration") })
        #expect(lines.contains { $0.hasPrefix("\(broken):7:12: workload.pattern: pattern 'glider' (3×3) at row 4") })
        #expect(lines.contains { $0.hasPrefix("\(broken):9:22: strategies.1: unknown strategy 'threads'") })
    }

    @Test("strategies lists every strategy with its summary")
    func strategies() async throws {
        let output = try await ConlabBinary.run(["strategies"])
        #expect(output.status == 0)
        #expect(output.standardOutput.contains("serial"))
        #expect(output.standardOutput.contains("async (actor)"))
        #expect(output.standardOutput.contains("workloads: phased"))
    }

    @Test("--help teaches: examples and exit statuses")
    func help() async throws {
        let output = try await ConlabBinary.run(["run", "--help"])
        #expect(output.status == 0)
        #expect(output.standardOutput.contains("conlab run scenarios/life-glider.yaml"))
        #expect(output.standardOutput.contains("Exit status"))
        #expect(output.standardOutput.contains("--set <key.path=value>"))
    }
}
