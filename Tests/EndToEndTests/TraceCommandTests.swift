import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

extension EndToEnd {
    @Suite("--trace")
    struct TraceCommandTests {
        /// A Chrome trace event, as much of it as the checks read.
        private struct Event: Decodable {
            var ph: String
            var name: String
            var pid: Int
            var tid: Int?
            var id: Int?
            var ts: Double?
            var dur: Double?
            var args: [String: String]?
        }

        private struct Document: Decodable {
            var traceEvents: [Event]
        }

        @Test(
            "A glider run's trace parses, nests every wait and compute slice inside its unit, and never overlaps a thread"
        )
        func glider() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let path = folder.url.appendingPathComponent("trace.json").path
            let labels = ["serial", "thread", "queue(workers: 5)", "pool(max_workers: 10)", "async", "loop"]
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--strategies",
                "serial,thread,queue,pool,async,loop", "--trace", path, "--log",
                folder.url.appendingPathComponent("l").path,
            ])
            #expect(output.status == 0, "\(output.standardError)")
            let document = try JSONDecoder().decode(Document.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            let events = document.traceEvents
            let processes = Dictionary(
                events.filter { $0.ph == "M" && $0.name == "process_name" }.map { ($0.pid, $0.args?["name"] ?? "") },
                uniquingKeysWith: { first, _ in first }
            )
            #expect(processes.values.sorted() == labels.map { "life-glider / \($0)" }.sorted())
            for pid in processes.keys {
                // Units are async slices: every one closes, and a wait opens and closes inside its unit.
                var open: [Int: [(name: String, ts: Double)]] = [:]
                var units: [String: ClosedRange<Double>] = [:]
                for event in events where event.pid == pid && (event.ph == "b" || event.ph == "e") {
                    let id = try #require(event.id)
                    let ts = try #require(event.ts)
                    if event.ph == "b" {
                        if let parent = open[id]?.last { #expect(parent.ts <= ts) }
                        open[id, default: []].append((event.name, ts))
                    } else {
                        guard let top = open[id]?.popLast() else {
                            Issue.record("an end without a begin in process \(pid)")
                            continue
                        }
                        #expect(top.name == event.name && top.ts <= ts)
                        if open[id]?.isEmpty == true { units[event.name] = top.ts...ts }
                    }
                }
                let unclosed = open.values.filter { !$0.isEmpty }.count
                #expect(unclosed == 0, "unclosed slices in process \(pid)")
                #expect(units.count == 180, "process \(processes[pid] ?? "")")
                // Compute slices: inside their unit, and one at a time on each thread.
                let computes = events.filter { $0.pid == pid && $0.ph == "X" }
                for slice in computes {
                    let unit = try #require(units[slice.args?["unit"] ?? ""])
                    let start = try #require(slice.ts)
                    #expect(unit.contains(start) && unit.contains(start + (slice.dur ?? 0)))
                }
                for (_, slices) in Dictionary(grouping: computes, by: { $0.tid ?? -1 }) {
                    let ordered = slices.sorted { ($0.ts ?? 0) < ($1.ts ?? 0) }
                    for (earlier, later) in zip(ordered, ordered.dropFirst()) {
                        #expect((earlier.ts ?? 0) + (earlier.dur ?? 0) <= (later.ts ?? 0) + 0.001)
                    }
                }
            }
        }

        @Test("A trace path that can never be written is refused before anything runs, with the system's reason")
        func unwritablePath() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let cases = [
                (folder.url.appendingPathComponent("missing/trace.json").path, "No such file or directory"),
                (folder.url.path, "Is a directory"),
            ]
            for (path, reason) in cases {
                let log = folder.url.appendingPathComponent("refused.jsonl").path
                let output = try await ConlabBinary.run([
                    "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--strategies", "serial",
                    "--trace", path, "--log", log,
                ])
                #expect(output.status == 2, "\(path)")
                #expect(output.standardError == "cannot write the trace \(path): \(reason)\n")
                #expect(output.standardOutput.isEmpty, "nothing runs")
                #expect(!FileManager.default.fileExists(atPath: log), "no log is started")
            }
        }

        @Test("A trace that cannot be written at the end of the run is an exit 1, said, and counted in run_finished")
        func fullDisk() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("full.jsonl").path
            let output = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--strategies", "serial",
                "--trace", "/dev/full", "--log", log,
            ])
            #expect(output.status == 1)
            #expect(output.standardError.contains("cannot write the trace /dev/full: No space left on device"))
            #expect(
                !output.standardOutput.contains("trace: /dev/full"),
                "a trace that was not written is not announced"
            )
            let last = try #require(try LogFile.runFinished(at: log))
            #expect(last.exitStatus == 1)
        }
    }
}
