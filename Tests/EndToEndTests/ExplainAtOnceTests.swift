import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// Issue 17, point 13: `explain` used to compute the whole serial reference, so a large scenario took
    /// from 10 s to minutes to explain. Each case is one workload shape at a size far over explain's
    /// budget; each must answer at once and say which figures it did not compute.
    @Suite("conlab explain answers at once")
    struct ExplainAtOnceTests {
        /// One large scenario and what its explanation must say.
        struct Case: Sendable, CustomTestStringConvertible {
            let name: String
            let file: String
            let overrides: [String]
            /// Lines or fragments the output must contain.
            let says: [String]
            /// Whether the note on figures not computed must appear (and otherwise must not).
            let notComputed: Bool
            var testDescription: String { name }
        }

        static let cases: [Case] = [
            Case(
                name: "100,000 generations of drawn latencies: estimates from the mean",
                file: "scenarios/life-glider.yaml",
                overrides: [
                    "workload.generations=100000", "workload.io.latency={uniform: {min: 50ms, max: 150ms}}",
                    "strategies=[serial, thread, pool, async]",
                ],
                // Serial: 4.5 million waits of the 100 ms mean; all at once: the largest draw, not known.
                says: ["4500000 units in 100000 phases", "≈450000.0 s", "≈50000.0 s"],
                notComputed: true
            ),
            Case(
                name: "199 generations of a million cells, a fixed latency: exact, and thread refused over the cap",
                file: "scenarios/item-60-life-million.yaml",
                overrides: ["workload.generations=199", "strategies=[thread, loop]"],
                says: ["199000000 units in 199 phases", "19.90 s", "refused: thread needs 1000000 threads at once"],
                notComputed: false
            ),
            Case(
                name: "A failure rate over 100,000 generations: no ideal, since the reference would stop early",
                file: "scenarios/item-57-hazard-lost-errors.yaml",
                overrides: ["workload.generations=100000"],
                says: ["4500000 units in 100000 phases"],
                notComputed: true
            ),
            Case(
                name: "100 million increments per worker",
                file: "scenarios/item-54-counter-lock.yaml",
                overrides: ["workload.increments=100000000", "workload.workers=10000"],
                says: ["10000 units in 1 phase"],
                notComputed: false
            ),
            Case(
                name: "100 tailed files of 100,000 lines",
                file: "scenarios/item-62-tail-mixed.yaml",
                overrides: ["workload.files=100", "workload.lines=100000"],
                says: ["100 units in 1 phase"],
                notComputed: false
            ),
            Case(
                name: "10 million factorizations",
                file: "scenarios/item-64-cpu-gcd.yaml",
                overrides: ["workload.rounds=1000000"],
                says: ["10000000 units in 1 phase", "refused: thread needs 10000000 threads"],
                notComputed: false
            ),
            Case(
                name: "100,000 blocking calls",
                file: "scenarios/item-53-syscall-select.yaml",
                overrides: ["workload.calls=100000"],
                says: ["100000 units in 1 phase", "10000.0 s"],
                notComputed: false
            ),
            Case(
                name: "1000 clients of a million guessing-game sessions",
                file: "scenarios/item-61-guess-load-async.yaml",
                overrides: ["workload.clients=1000", "workload.sessions=1000000"],
                says: ["1003 units in 1 phase"],
                notComputed: false
            ),
            Case(
                name: "10 million pipeline items",
                file: "scenarios/item-55-pipeline-workers.yaml",
                overrides: ["workload.items=10000000"],
                // Its ideal needs its reference's waits, which are over the budget.
                says: ["30000000 units in 1 phase"],
                notComputed: true
            ),
        ]

        @Test("A huge scenario of each workload shape is explained within seconds", arguments: cases)
        func atOnce(_ scenario: Case) async throws {
            try await expectAtOnce(
                [scenario.file] + scenario.overrides.flatMap { ["--set", $0] },
                says: scenario.says,
                notComputed: scenario.notComputed
            )
        }

        @Test("10,000 child jobs with 10,000 random input bytes each, drawn by nobody")
        func subprocess() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let file = try folder.write(
                """
                name: many-children
                workload:
                  kind: subprocess
                  jobs:
                    - run: [cat]
                      stdin: { random_bytes: 10000 }
                      count: 10000
                strategies: [serial, pool, async]
                """,
                to: "many-children.yaml"
            )
            try await expectAtOnce([file], says: ["many-children: 10000 units in 1 phase"], notComputed: false)
        }

        /// Runs `explain` on `arguments` and checks it answers well within a bound that separates a
        /// closed form (a fraction of a second) from computing the reference (10 s to minutes).
        private func expectAtOnce(
            _ arguments: [String],
            says fragments: [String],
            notComputed: Bool,
            sourceLocation: Testing.SourceLocation = #_sourceLocation
        ) async throws {
            let clock = ContinuousClock()
            let started = clock.now
            // `timeout` ends a run that computes the reference, which can take minutes, as a plain failure.
            let output = try await ConlabBinary.run(["explain"] + arguments, launcher: ["/usr/bin/timeout", "60"])
            let elapsed = clock.now - started
            #expect(output.status == 0, "\(output.standardError)", sourceLocation: sourceLocation)
            // A closed form takes about 0.1 s in a debug build; 5 s leaves room for a loaded machine.
            #expect(elapsed < .seconds(5), "explain took \(elapsed)", sourceLocation: sourceLocation)
            for fragment in fragments {
                #expect(
                    output.standardOutput.contains(fragment),
                    "no '\(fragment)' in:\n\(output.standardOutput)",
                    sourceLocation: sourceLocation
                )
            }
            let note = "— not computed: the serial reference"
            #expect(
                output.standardOutput.contains(note) == notComputed,
                "\(notComputed ? "no" : "an unexpected") note on figures not computed in:\n\(output.standardOutput)",
                sourceLocation: sourceLocation
            )
        }
    }
}
