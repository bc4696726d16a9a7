import ConlabCore
import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Testing

/// A kind from outside conlab's list, as another package would add one: `kind: gcd` with `pairs`, run as the
/// CPU workload's units.
private struct GCDPairs: ScenarioWorkload {
    static let kind = "gcd"
    static let traits = CPUWorkload.traits
    static let portableBatches: [any PortableBatch.Type] = []
    var pairs: Int

    static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> GCDPairs? {
        mapping.required("pairs", form: "how many pairs").flatMap {
            reader.integer($0, mapping.path("pairs"), in: 1...10)
        }.map(GCDPairs.init)
    }

    func runnable(seed: UInt64) -> RunnableWorkload {
        .phased(CPUWorkload(tasks: (1...pairs).map { .gcd($0 * 6, 4) }, rounds: 1))
    }

    var childDemand: ChildDemand { .none }

    func summary(seed: UInt64) -> String { "\(pairs) pairs" }
}

@Suite("Workload kinds come from the registry the loader is given")
struct WorkloadKindTests {
    let loader = ScenarioLoader(
        registry: BuiltInStrategies.registry,
        workloads: WorkloadRegistry(BuiltInWorkloads.all + [GCDPairs.self])
    )

    private func yaml(_ workload: String) -> String {
        """
        name: outside
        workload:
        \(workload)
        strategies: [serial, thread]
        """
    }

    @Test("A registered kind is read by its own reader, and the loader keeps the common keys")
    func registeredKind() throws {
        let scenario = try loader.load(yaml: yaml("  kind: gcd\n  pairs: 3"), file: "gcd.yaml")
        let workload = try #require(scenario.workload as? GCDPairs)
        #expect(workload.pairs == 3)
        #expect(scenario.workload.kind == "gcd")
        #expect(scenario.strategies.map(\.name) == ["serial", "thread"])
        #expect(scenario.workload.summary(seed: scenario.seed) == "3 pairs")
    }

    @Test("Its reader's problems and its unknown keys are reported with locations, like a built-in kind's")
    func problems() {
        #expect(throws: ScenarioError.self) { try loader.load(yaml: yaml("  kind: gcd\n  pairs: 0"), file: "g.yaml") }
        do {
            _ = try loader.load(yaml: yaml("  kind: gcd\n  pairs: 0\n  extra: 1"), file: "g.yaml")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "g.yaml:4:10: workload.pairs: expected a whole number from 1 to 10, found '0'",
                    "g.yaml:5:3: workload.extra: unknown key 'extra'; expected one of 'kind', 'pairs'",
                ]
            )
        }
    }

    @Test("A kind nobody registered is refused with the registered ones listed")
    func unregisteredKind() {
        let builtIn = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)
        do {
            _ = try builtIn.load(yaml: yaml("  kind: gcd\n  pairs: 3"), file: "g.yaml")
            Issue.record("an unregistered kind was accepted")
        } catch {
            #expect(
                error.issues.map(\.description) == [
                    "g.yaml:3:9: workload.kind: expected one of: life, pipeline, cpu, counter, syscall, subprocess, "
                        + "guess, tail, found 'gcd'"
                ]
            )
        }
    }
}
