import ConlabCore
import ConlabLatency
import ConlabScenario
import ConlabStrategies
import ConlabToolkit
import ConlabWorkloads
import Foundation
import Testing

@Suite("Loading valid scenarios")
struct ScenarioLoaderTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    static let minimal = """
        name: tiny
        workload:
          kind: life
          rows: 5
          columns: 9
          generations: 2
          pattern: glider
        strategies: [serial]
        """

    @Test("Every bundled scenario loads")
    func bundled() throws {
        let folder = ConlabBinaryPaths.scenarios
        #expect(!folder.isEmpty)
        for file in folder {
            // A scenario that lists strategy programs (the lesson-* files' python-*) needs the manifests the
            // command line registers from strategies/: CommandLineTests' validateBundled loads it through the
            // binary. Here, the built-in strategies only.
            if try String(contentsOfFile: file, encoding: .utf8).contains("\n  - python-") { continue }
            _ = try loader.load(file: file)
        }
    }

    @Test("A minimal scenario gets the documented defaults")
    func defaults() throws {
        let scenario = try loader.load(yaml: Self.minimal, file: "tiny.yaml")
        #expect(scenario.seed == 1)
        #expect(scenario.item == nil)
        #expect(scenario.expectations.outcome == .success)
        guard let life = scenario.workload as? LifeSpec else { return }
        #expect(life.ioSteps.isEmpty)
        #expect(life.pattern == .named(.glider, row: 0, column: 0))
    }

    @Test(
        "Every latency model is read",
        arguments: [
            ("100ms", LatencyModel.fixed(.milliseconds(100))),
            ("{ fixed: 2s }", .fixed(.seconds(2))),
            ("{ uniform: { min: 5ms, max: 15ms } }", .uniform(min: .milliseconds(5), max: .milliseconds(15))),
            (
                "{ normal: { mean: 10ms, stddev: 2ms } }",
                .normal(mean: .milliseconds(10), standardDeviation: .milliseconds(2))
            ),
            ("{ exponential: { mean: 10ms } }", .exponential(mean: .milliseconds(10))),
            ("{ lognormal: { median: 10ms, sigma: 0.5 } }", .lognormal(median: .milliseconds(10), sigma: 0.5)),
            ("{ pareto: { scale: 5ms, shape: 2.5 } }", .pareto(scale: .milliseconds(5), shape: 2.5)),
            ("{ empirical: [1ms, 250us, 2s] }", .empirical([.milliseconds(1), .microseconds(250), .seconds(2)])),
        ]
    )
    func latencyModels(text: String, expected: LatencyModel) throws {
        let yaml =
            Self.minimal + "\n" + """
                expect: { outcome: success }
                """
        let scenario = try loader.load(
            yaml: yaml,
            file: "x.yaml",
            overrides: [
                ScenarioOverride("workload.io={ step: both, latency: \(text), failure_rate: 0.1, timeout: 1s }")!
            ]
        )
        guard let life = scenario.workload as? LifeSpec else { return }
        #expect(life.io.latency == expected)
        #expect(life.io.failureRate == 0.1)
        #expect(life.io.timeout == .seconds(1))
        #expect(life.ioSteps == Set(LifeStep.allCases))
    }

    @Test("Patterns in every form")
    func patterns() throws {
        let forms: [(String, LifePattern)] = [
            ("{ named: blinker, at: [1, 2] }", .named(.blinker, row: 1, column: 2)),
            ("{ cells: [[0, 3], [4, 8]] }", .cells([.init(row: 0, column: 3), .init(row: 4, column: 8)])),
            ("{ random: { density: 0.5 } }", .random(density: 0.5)),
            ("{ picture: \"-*-\\n--*\\n***\", at: [0, 2] }", .picture(["-*-", "--*", "***"], row: 0, column: 2)),
        ]
        for (text, expected) in forms {
            let scenario = try loader.load(
                yaml: Self.minimal,
                file: "x.yaml",
                overrides: [ScenarioOverride("workload.pattern=\(text)")!]
            )
            guard let life = scenario.workload as? LifeSpec else { return }
            #expect(life.pattern == expected)
        }
    }

    @Test("A picture block in the book's notation")
    func pictureBlock() throws {
        let yaml = """
            name: picture
            workload:
              kind: life
              rows: 5
              columns: 9
              generations: 1
              pattern:
                picture: |
                  ---*-----
                  ----*----
                  --***----
            strategies: [serial]
            """
        let scenario = try loader.load(yaml: yaml, file: "x.yaml")
        guard let life = scenario.workload as? LifeSpec else { return }
        #expect(life.workload(seed: 1).initialState.rendered == LifeTestsFrames.glider0)
    }

    @Test("--set and --seed override fields before validation")
    func overrides() throws {
        let scenario = try loader.load(
            yaml: Self.minimal,
            file: "x.yaml",
            overrides: [ScenarioOverride("workload.generations=7")!, ScenarioOverride("strategies.0=async")!],
            seed: 99
        )
        #expect(scenario.seed == 99)
        #expect(scenario.strategies.map(\.name) == ["async"])
        guard let life = scenario.workload as? LifeSpec else { return }
        #expect(life.generations == 7)
    }

    @Test("Strategy names, aliases and the name-with-options form")
    func strategies() throws {
        let scenario = try loader.load(
            yaml: Self.minimal,
            file: "x.yaml",
            overrides: [ScenarioOverride("strategies=[serial, actor, { async: {} }]")!]
        )
        #expect(scenario.strategies.map(\.name) == ["serial", "async", "async"])
    }

    @Test("The file's SHA-256 identifies it")
    func digest() throws {
        let a = try loader.load(yaml: Self.minimal, file: "x.yaml")
        let b = try loader.load(yaml: Self.minimal + "\n# comment", file: "x.yaml")
        #expect(a.fileSHA256 == SHA256.hexDigest(of: Self.minimal))
        #expect(a.fileSHA256 != b.fileSHA256)
    }
}

enum LifeTestsFrames {
    static let glider0 = "---*-----\n----*----\n--***----\n---------\n---------\n"
}

enum ConlabBinaryPaths {
    static var scenarios: [String] {
        let folder = #filePath.split(separator: "/").dropLast(3).joined(separator: "/")
        let path = "/" + folder + "/scenarios"
        return ((try? FileManagerShim.list(path)) ?? []).filter { $0.hasSuffix(".yaml") }.map { path + "/" + $0 }
    }
}
