import ConlabCore
import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Testing

@Suite("CPU scenarios")
struct CPUScenarioTests {
    let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    @Test("factorize and gcd workloads load, and malformed ones are rejected")
    func loading() throws {
        let yaml = """
            name: cpu
            workload: { kind: cpu, task: gcd, numbers: [[12, 18], [7, 5]], rounds: 2 }
            strategies: [serial, thread]
            """
        let scenario = try loader.load(yaml: yaml, file: "cpu.yaml")
        guard let workload = scenario.workload as? CPUWorkload else {
            Issue.record("expected a CPU workload")
            return
        }
        #expect(workload.tasks == [.gcd(12, 18), .gcd(7, 5)])
        #expect(workload.rounds == 2)
        for (override, path) in [
            ("workload.task=sort", "workload.task"), ("workload.numbers.1=[7]", "workload.numbers.1"),
            ("workload.rounds=0", "workload.rounds"), ("workload.numbers=[]", "workload.numbers"),
        ] {
            let error = try #require(throws: ScenarioError.self) {
                try loader.load(yaml: yaml, file: "cpu.yaml", overrides: [ScenarioOverride(override)!])
            }
            #expect(error.issues.contains { $0.path == path }, "\(override): \(error)")
        }
    }

    @Test("The lesson compares Swift's threads with serial, and each Python strategy with python-serial by median")
    func lesson() {
        func result(_ strategy: String, _ label: String, _ wall: Double) -> WorkloadResult {
            WorkloadResult(
                strategy: strategy,
                label: label,
                correct: true,
                wallSeconds: wall,
                serialSeconds: 1.0,
                figures: [:]
            )
        }
        // python-serial twice (--repeat): its median, 2.1 s, is what the others are set against.
        let lines = CPUWorkload.summaryLines([
            result("serial", "serial", 1.0), result("thread", "thread", 0.5),
            result("external", "python-thread", 2.1), result("external", "python-serial", 2.0),
            result("external", "python-process", 1.05), result("external", "python-serial", 2.2),
        ])
        #expect(
            lines == [
                "lesson (items 53 and 64): Swift threads run CPU work in parallel: thread is 2.00× serial here; "
                    + "CPython's threads stay near 1× (the GIL), so it needs processes",
                "CPython, next to python-serial: python-process 2.00×, python-thread 1.00×",
            ]
        )
    }
}
