import ConlabLog
import ConlabTestSupport
import ConlabToolkit
import Foundation
import Testing

extension EndToEnd {
    @Suite("conlab report: the workload and the time")
    struct ReportWorkloadTests {
        /// What Chromium's net log says, as much of it as the checks read.
        private struct NetLog: Decodable {
            struct Constants: Decodable {
                var logEventTypes: [String: Int]
            }
            struct Event: Decodable {
                struct Parameters: Decodable {
                    var url: String?
                    var network_isolation_key: String?
                }
                var type: Int
                var params: Parameters?
            }
            var constants: Constants
            var events: [Event]

            /// The addresses the page at a `file://` address asked for: requests whose top frame is that page.
            /// Chromium's own background requests (updates, the clock) are another site's, and left out.
            var requestsOfThePage: [String] {
                let start = constants.logEventTypes["URL_REQUEST_START_JOB"]
                return events.compactMap { event in
                    guard event.type == start, let key = event.params?.network_isolation_key,
                        key.hasPrefix("file://")
                    else { return nil }
                    return event.params?.url
                }
            }
        }

        /// The DOM Chromium built from `html`, and what the page asked the network for.
        private static func render(
            _ html: String,
            in folder: TemporaryFolder
        ) async throws -> (
            dom: String, requests: [String]
        ) {
            let chromium = try #require(ReportCommandTests.chromium, "CI must have Debian's chromium")
            let netLog = folder.url.appendingPathComponent("net-\(UUID()).json").path
            let dom = try await OSThread.run(name: "chromium") { _ in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
                process.arguments = [
                    "60", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--log-net-log=\(netLog)",
                    "--dump-dom", "file://\(html)",
                ]
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = FileHandle.nullDevice
                try process.run()
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return String(decoding: data, as: UTF8.self)
            }
            let log = try JSONDecoder().decode(NetLog.self, from: Data(contentsOf: URL(fileURLWithPath: netLog)))
            return (dom, log.requestsOfThePage)
        }

        @Test(
            "A traced glider run's report draws each logged grid with its live cells, and a timeline per strategy",
            .enabled(if: ReportCommandTests.chromium != nil || ReportCommandTests.required)
        )
        func gliderPicturesAndTimelines() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("glider.jsonl").path
            let html = folder.url.appendingPathComponent("report.html").path
            let labels = ["serial", "thread", "async"]
            let run = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--strategies",
                labels.joined(separator: ","), "--trace", folder.url.appendingPathComponent("trace.json").path,
                "--log", log, "--quiet",
            ])
            #expect(run.status == 0, "\(run.standardError)")
            #expect(try await ConlabBinary.run(["report", log, "-o", html]).status == 0)
            let events = try LogFile.events(at: log)
            let kept = try #require(events.compactMap(\.referenceFrames).first)
            // The glider: every one of its 5 grids kept, each of 5 live cells; the last is the reference's final
            // grid, whose digest every correct result carries.
            #expect(kept.frames.map(\.generation) == [0, 1, 2, 3, 4] && kept.leftOut == nil)
            #expect(kept.frames.allSatisfy { $0.liveCells == 5 })
            let last = try #require(kept.frames.last).rows.map { $0 + "\n" }.joined()
            #expect(events.compactMap(\.result).allSatisfy { $0.finalGridSHA256 == SHA256.hexDigest(of: last) })

            let (dom, requests) = try await Self.render(html, in: folder)
            #expect(requests.isEmpty, "the report asked the network for \(requests)")
            // A picture per logged grid, in order, each with a square per live cell and its caption in words.
            let figures = dom.components(separatedBy: #"<figure class="frame">"#).dropFirst()
            #expect(figures.count == kept.frames.count)
            for (figure, frame) in zip(figures, kept.frames) {
                let picture = figure.components(separatedBy: "</figure>")[0]
                #expect(picture.components(separatedBy: "h1v1h-1z").count - 1 == frame.liveCells)
                #expect(picture.contains("generation \(frame.generation): 5 live cells</figcaption>"))
            }
            // A timeline per strategy: slices of compute and of waits apart, on an axis with time values.
            let charts = dom.components(separatedBy: #"<svg class="chart timeline""#).dropFirst()
            #expect(charts.count == labels.count)
            for label in labels { #expect(dom.contains(#"<p class="meta">\#(label): 180 of 180 units"#)) }
            for chart in charts {
                let svg = chart.components(separatedBy: "</svg>")[0]
                #expect(svg.components(separatedBy: #"<rect class="compute""#).count - 1 >= 10)
                #expect(svg.components(separatedBy: #"<rect class="wait""#).count - 1 >= 10)
                #expect(svg.contains(#"text-anchor="middle">0</text>"#))
                #expect(svg.contains(" ms</text>") || svg.contains(" s</text>"), "the axis has values")
                #expect(svg.contains(">compute</text>") && svg.contains(">wait (game_logic)"))
            }
            // Async's waits hold no thread: a row of their own.
            #expect(dom.contains("no thread: a suspended task's waits"))
            let artifacts = ConlabBinary.packageRoot.appendingPathComponent(".build/test-artifacts")
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            let screenshot = artifacts.appendingPathComponent("report-workload.png").path
            try? FileManager.default.removeItem(atPath: screenshot)
            let chromium = try #require(ReportCommandTests.chromium)
            try await OSThread.run(name: "chromium-shot") { _ in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
                process.arguments = [
                    "60", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1000,2600",
                    "--screenshot=\(screenshot)", "file://\(html)",
                ]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
            }
            #expect(FileManager.default.fileExists(atPath: screenshot), "a screenshot at \(screenshot)")
        }

        @Test(
            "The net log check sees a page that does ask the network",
            .enabled(if: ReportCommandTests.chromium != nil || ReportCommandTests.required)
        )
        func netLogSeesRequests() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let page = folder.url.appendingPathComponent("asks.html").path
            try #"<!DOCTYPE html><html><body><img src="http://127.0.0.1:9/a.png"></body></html>"#.write(
                toFile: page,
                atomically: true,
                encoding: .utf8
            )
            let (_, requests) = try await Self.render(page, in: folder)
            #expect(requests == ["http://127.0.0.1:9/a.png"])
        }

        @Test("A 90,000-cell traced run logs its grid's size and no cells, and 200 of its units")
        func largeGrid() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("large.jsonl").path
            let html = folder.url.appendingPathComponent("report.html").path
            let run = try await ConlabBinary.run([
                // 300×300, not the scenario's million: the bounds are the same, and a million cells in a debug
                // build held both cores for 15-30 s, starving the timing tests that run beside this one.
                "run", "scenarios/item-60-life-million.yaml", "--set", "workload.generations=1", "--set",
                "workload.rows=300", "--set", "workload.columns=300", "--set", "workload.io.latency=1ms", "--set",
                "expect={}", "--trace",
                folder.url.appendingPathComponent("trace.json").path, "--log", log, "--quiet",
            ])
            #expect(run.status == 0, "\(run.standardError)")
            let events = try LogFile.events(at: log)
            let kept = try #require(events.compactMap(\.referenceFrames).first)
            #expect(kept.rows == 300 && kept.columns == 300 && kept.grids == 2 && kept.frames.isEmpty)
            #expect(kept.leftOut == "every grid: 300×300 is larger than the 64×64 kept")
            let timeline = try #require(events.compactMap(\.unitTimeline).first)
            #expect(timeline.units == 90_000 && timeline.sampledUnits == 200 && timeline.every == 450)
            // The whole log stays small: the bound, not the grid, sets its size.
            let size = try #require(try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
            #expect(size < 200_000, "\(size) bytes")
            #expect(try await ConlabBinary.run(["report", log, "-o", html]).status == 0)
            let text = try String(contentsOfFile: html, encoding: .utf8)
            #expect(!text.contains(#"<figure class="frame">"#))
            #expect(text.contains("Left out of the log: every grid: 300×300 is larger than the 64×64 kept."))
            #expect(text.contains("loop: 200 of 90000 units (every 450th to finish)"))
        }

        @Test("A log written before the grids and timelines were logged still makes a report, without them")
        func oldLog() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("glider.jsonl").path
            let old = folder.url.appendingPathComponent("old.jsonl").path
            let html = folder.url.appendingPathComponent("report.html").path
            let run = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--strategies", "serial",
                "--trace", folder.url.appendingPathComponent("trace.json").path, "--log", log, "--quiet",
            ])
            #expect(run.status == 0, "\(run.standardError)")
            let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
            let before = lines.filter {
                !$0.contains(#""event":"reference_frames""#) && !$0.contains(#""event":"unit_timeline""#)
            }
            #expect(before.count == lines.count - 2)
            try (before.joined(separator: "\n") + "\n").write(toFile: old, atomically: true, encoding: .utf8)
            #expect(try await ConlabBinary.run(["report", old, "-o", html]).status == 0)
            let text = try String(contentsOfFile: html, encoding: .utf8)
            #expect(text.contains("Fastest correct: <strong>serial</strong>"))
            #expect(!text.contains("The workload") && !text.contains("How the time was spent"))
        }
    }
}
