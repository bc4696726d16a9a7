import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// The bundled Python strategies on CPU batches (items 53 and 64) and pipelines (item 55), run by conlab from
    /// the catalog's own scenarios, made small with `--set`, and checked against the same serial references as
    /// conlab's strategies.
    @Suite("Python strategies on CPU and pipelines", .enabled(if: ExternalStrategyTests.python != nil, "no python3"))
    struct PythonWorkKindsTests {
        /// Runs `scenario` from the catalog with `arguments`, and returns its results from the log.
        static func results(
            _ scenario: String,
            _ arguments: [String]
        ) async throws -> (ConlabBinary.Output, [RunResult]) {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("log.jsonl").path
            let output = try await ConlabBinary.run(["run", "scenarios/\(scenario).yaml", "--log", log] + arguments)
            return (output, try LogFile.results(at: log))
        }

        @Test(
            "item-53's factorize and item-64's gcd under each Python strategy that runs CPU work: every unit as serial's",
            arguments: [
                ("item-53-cpu-factorize", ["--set", "workload.rounds=1"]),
                ("item-64-cpu-gcd", ["--set", "workload.numbers=[[1963309, 2265973], [1071, 462], [97, 89]]"]),
            ]
        )
        func cpu(_ scenario: String, _ settings: [String]) async throws {
            let labels = ["serial", "python-serial", "python-thread", "python-pool", "python-process"]
            let (output, results) = try await Self.results(
                scenario,
                settings + ["--set", "workload.rounds=2", "--strategies", labels.joined(separator: ",")]
            )
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            #expect(results.map(\.label) == labels)
            let serial = try #require(results.first?.resultSHA256)
            for result in results {
                #expect(result.outcome == .success && result.correct, "\(result.label): \(result.error ?? "")")
                // The digest of every unit's result, one per line: the same numbers, unit for unit.
                #expect(result.resultSHA256 == serial, "\(result.label)")
                #expect(result.strategy == (result.label == "serial" ? "serial" : "external"))
            }
        }

        @Test(
            "item-55's pipeline with several workers a stage under each Python strategy: every item, its value, the floor"
        )
        func pipeline() async throws {
            let labels = [
                "serial", "thread", "python-serial", "python-thread", "python-pool", "python-asyncio",
                "python-process",
            ]
            let (output, results) = try await Self.results(
                "item-55-pipeline-workers",
                ["--set", "workload.items=40", "--strategies", labels.joined(separator: ",")]
            )
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            #expect(results.map(\.label) == labels)
            let serial = try #require(results.first)
            let thread = try #require(results.dropFirst().first)
            for result in results {
                #expect(result.outcome == .success && result.correct, "\(result.label): \(result.error ?? "")")
                #expect(result.resultSHA256 == serial.resultSHA256, "\(result.label)")
                #expect(result.pipeline?.items == 40, "\(result.label)")
                #expect(result.invalidMeasurement == nil, "\(result.label)")
                #expect(result.phaseSeconds.first ?? 0 >= result.idealSeconds * 0.999, "\(result.label)")
            }
            // The floor follows the manifest: one item at a time for python-serial (40 items × three 1 ms waits),
            // the stages' own workers for the unbounded programs, as for conlab's thread.
            let byLabel = Dictionary(uniqueKeysWithValues: results.map { ($0.label, $0) })
            #expect(abs((byLabel["python-serial"]?.idealSeconds ?? 0) - 0.12) < 1e-6)
            #expect(byLabel["python-thread"]?.idealSeconds == thread.idealSeconds)
            #expect(byLabel["python-asyncio"]?.idealSeconds == thread.idealSeconds)
        }

        @Test("A CPU batch whose answer is longer than a megabyte, and than its work by far, is read whole")
        func longAnswer() async throws {
            // 300,000 units of gcd(1, 1): a 50-byte work message, a 1.2 MB answer of [1] after [1].
            let (output, results) = try await Self.results(
                "item-64-cpu-gcd",
                [
                    "--set", "workload.numbers=[[1, 1]]", "--set", "workload.rounds=300000", "--strategies",
                    "serial,python-serial",
                ]
            )
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            #expect(results.map(\.label) == ["serial", "python-serial"])
            for result in results {
                #expect(result.outcome == .success && result.correct, "\(result.label): \(result.error ?? "")")
            }
            #expect(results.last?.resultSHA256 == results.first?.resultSHA256)
        }

        @Test("The polling discipline under python-thread and python-asyncio: correct, and every check counted")
        func polling() async throws {
            let labels = ["thread", "python-thread", "python-asyncio"]
            let (output, results) = try await Self.results(
                "item-55-pipeline-polling",
                ["--set", "workload.items=20", "--strategies", labels.joined(separator: ",")]
            )
            #expect(output.status == 0, "\(output.standardOutput)\(output.standardError)")
            #expect(results.map(\.label) == labels)
            for result in results {
                #expect(result.outcome == .success && result.correct, "\(result.label): \(result.error ?? "")")
                // Three stages' workers check their queues at least once an item, and find them empty at first.
                #expect((result.pipeline?.polls ?? 0) >= 60, "\(result.label)")
                #expect((result.pipeline?.emptyPolls ?? 0) > 0, "\(result.label)")
            }
        }

        @Test("A failing pipeline stage: every Python strategy reports a failure the reference has, by stage and item")
        func failure() async throws {
            let labels = [
                "serial", "python-serial", "python-thread", "python-pool", "python-asyncio", "python-process",
            ]
            let (output, results) = try await Self.results(
                "item-55-pipeline-workers",
                [
                    "--set", "workload.items=40", "--set", "workload.stages.1.failure_rate=0.05", "--strategies",
                    labels.joined(separator: ","),
                ]
            )
            #expect(output.status == 1, "\(output.standardOutput)\(output.standardError)")
            #expect(results.map(\.label) == labels)
            for result in results {
                // A unit failure at a (stage, item) that fails in the reference too is the correct outcome.
                #expect(result.outcome == .unitFailure && result.correct, "\(result.label): \(result.error ?? "")")
                #expect(result.error?.hasPrefix("stage resize (1) 1, item ") == true, "\(result.error ?? "")")
                #expect(result.error?.hasSuffix(": I/O in resize failed") == true, "\(result.error ?? "")")
            }
            // One item at a time, python-serial meets the reference's first failure, as serial does.
            #expect(results[1].error == results[0].error)
        }
    }
}
