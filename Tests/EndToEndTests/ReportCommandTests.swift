import ConlabCore
import ConlabTestSupport
import ConlabToolkit
import Foundation
import Testing

extension EndToEnd {
    @Suite("conlab report")
    struct ReportCommandTests {
        /// Debian's chromium, which `.ci/run` installs; required under CI, optional on a developer's machine.
        static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        static let required = ProcessInfo.processInfo.environment["CI"] == "true"

        @Test("Two logs become one self-contained HTML file with a chart per scenario")
        func report() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let first = folder.url.appendingPathComponent("glider.jsonl").path
            let second = folder.url.appendingPathComponent("select.jsonl").path
            let html = folder.url.appendingPathComponent("report.html").path
            let runs = [
                (first, ["scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms"]),
                (second, ["scenarios/item-53-syscall-select.yaml"]),
            ]
            for (log, arguments) in runs {
                let run = try await ConlabBinary.run(
                    ["run"] + arguments + ["--strategies", "serial,async", "--log", log, "--quiet"]
                )
                #expect(run.status == 0, "\(run.standardError)")
            }
            let output = try await ConlabBinary.run(["report", first, second, "-o", html])
            #expect(output.status == 0, "\(output.standardError)")
            let text = try String(contentsOfFile: html, encoding: .utf8)
            #expect(text.components(separatedBy: #"<svg class="chart wall""#).count - 1 == 2)
            // The answer first: a table per scenario, a row per strategy (serial and async), a winner named.
            #expect(text.components(separatedBy: #"<table class="answer">"#).count - 1 == 2)
            #expect(text.components(separatedBy: "</td></tr>").count - 1 == 4)
            #expect(text.components(separatedBy: "Fastest correct: <strong>").count - 1 == 2)
            #expect(text.contains("<h2>life-glider</h2>") && text.contains("<h2>item-53-syscall-select</h2>"))
            // Nothing from the network: no scripts, stylesheets, images or fonts by address.
            #expect(!text.contains("src=") && !text.contains("href=") && !text.contains("@import"))
        }

        @Test("A sweep is a chart with axes, values and the best setting, a table with efficiency; a grid a heat map")
        func sweeps() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let line = folder.url.appendingPathComponent("line.jsonl").path
            let grid = folder.url.appendingPathComponent("grid.jsonl").path
            let html = folder.url.appendingPathComponent("report.html").path
            let runs = [
                (line, ["--sweep", "strategies.0.pool.max_workers=1,3,9"]),
                (grid, ["--sweep", "strategies.0.pool.max_workers=3,9", "--sweep", "workload.io.latency=1ms,2ms"]),
            ]
            for (log, sweep) in runs {
                let run = try await ConlabBinary.run(
                    ["run", "scenarios/item-59-life-pool.yaml", "--set", "workload.io.latency=2ms"] + sweep
                        + ["--log", log, "--quiet"]
                )
                #expect(run.status == 0, "\(run.standardError)")
            }
            #expect(try await ConlabBinary.run(["report", line, grid, "-o", html]).status == 0)
            let text = try String(contentsOfFile: html, encoding: .utf8)
            // Two sweeps of one scenario, from two logs: a section each, named with its log, not one per setting.
            #expect(
                text.contains("<h2>Sweep of item-59-life-pool (line.jsonl) over strategies.0.pool.max_workers</h2>")
            )
            #expect(text.contains("(grid.jsonl) over strategies.0.pool.max_workers and workload.io.latency</h2>"))
            #expect(!text.contains("<section>\n<h2>item-59-life-pool ["))
            // The line: axes with values across (the settings) and up (times from zero), the best marked.
            let chart = try #require(text.components(separatedBy: #"<svg class="chart sweep""#).dropFirst().first)
            for value in ["1", "3", "9"] { #expect(chart.contains(#"text-anchor="middle">\#(value)</text>"#)) }
            #expect(chart.contains(#"text-anchor="end">0</text>"#))
            #expect(chart.contains(">best</text>"))
            // The table: three settings of pool, each with its efficiency; one of them the best.
            #expect(text.contains("<td>strategies.0.pool.max_workers=9</td>"))
            #expect(text.contains("<th>efficiency</th>"))
            // The grid: one heat map for pool, four cells, its best outlined and named.
            #expect(text.components(separatedBy: #"<svg class="chart heat""#).count - 1 == 1)
            #expect(text.contains(" best</text>"))
        }

        @Test("Two runs compared: the changes first, each run its own section, and how to run each again")
        func compared() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let base = folder.url.appendingPathComponent("base.jsonl").path
            let new = folder.url.appendingPathComponent("new.jsonl").path
            let html = folder.url.appendingPathComponent("report.html").path
            // The same scenario, its waits ten times longer in the new run: a regression of serial's time.
            for (log, latency) in [(base, "1ms"), (new, "10ms")] {
                let run = try await ConlabBinary.run([
                    "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=\(latency)", "--strategies",
                    "serial", "--seed", "3", "--log", log, "--quiet",
                ])
                #expect(run.status == 0, "\(run.standardError)")
            }
            let output = try await ConlabBinary.run(["report", base, new, "--compare", "-o", html])
            #expect(output.status == 0, "\(output.standardError)")
            let text = try String(contentsOfFile: html, encoding: .utf8)
            #expect(text.contains("<h2>Compared: \(base) → \(new)</h2>"))
            #expect(text.contains("<tr class=\"wrong\"><td>life-glider</td><td>serial</td><td>wall_seconds</td>"))
            #expect(
                text.contains("<h2>life-glider (base.jsonl)</h2>") && text.contains("<h2>life-glider (new.jsonl)</h2>")
            )
            #expect(text.contains("seed 3, conlab "))
            #expect(text.contains("Run by <code>conlab run scenarios/life-glider.yaml --set workload.io.latency=10ms"))
            let three = try await ConlabBinary.run(["report", base, new, base, "--compare", "-o", html])
            #expect(three.status == 2)
            #expect(three.standardError.contains("--compare takes two logs"))
        }

        @Test("A report that cannot be written says why, as the system does, and exits 2; one on a full disk too")
        func unwritableReport() async throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("glider.jsonl").path
            let run = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--strategies", "serial",
                "--log", log, "--quiet",
            ])
            #expect(run.status == 0, "\(run.standardError)")
            let cases = [
                (folder.url.appendingPathComponent("missing/report.html").path, "No such file or directory"),
                (folder.url.path, "Is a directory"),
                ("/dev/full", "No space left on device"),
            ]
            for (path, reason) in cases {
                let output = try await ConlabBinary.run(["report", log, "-o", path])
                #expect(output.status == 2, "\(path)")
                #expect(output.standardError == "conlab report: cannot write the report \(path): \(reason)\n")
            }
        }

        @Test("The report renders in headless Chromium with its charts", .enabled(if: chromium != nil || required))
        func rendersInChromium() async throws {
            let chromium = try #require(Self.chromium, "CI must have Debian's chromium (.ci/run installs it)")
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let log = folder.url.appendingPathComponent("glider.jsonl").path
            let html = folder.url.appendingPathComponent("report.html").path
            _ = try await ConlabBinary.run([
                "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--log", log, "--quiet",
            ])
            #expect(try await ConlabBinary.run(["report", log, "-o", html]).status == 0)
            let dom = try await OSThread.run(name: "chromium") { _ in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
                process.arguments = [
                    "60", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", "file://\(html)",
                ]
                let pipe = Pipe()
                process.standardOutput = pipe
                process.standardError = FileHandle.nullDevice
                try process.run()
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return String(decoding: data, as: UTF8.self)
            }
            // A picture for a person to look at: .build/test-artifacts/report.png, kept after the test.
            let artifacts = ConlabBinary.packageRoot.appendingPathComponent(".build/test-artifacts")
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            let screenshot = artifacts.appendingPathComponent("report.png").path
            try? FileManager.default.removeItem(atPath: screenshot)
            try await OSThread.run(name: "chromium-shot") { _ in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
                process.arguments = [
                    "60", chromium, "--headless", "--no-sandbox", "--disable-gpu", "--window-size=1000,1400",
                    "--screenshot=\(screenshot)", "file://\(html)",
                ]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
            }
            #expect(FileManager.default.fileExists(atPath: screenshot), "a screenshot at \(screenshot)")
            // The DOM Chromium built, not the file: the SVG parsed into elements it lays out.
            #expect(dom.contains("<h2>life-glider</h2>"))
            #expect(dom.components(separatedBy: #"<svg class="chart wall""#).count - 1 == 1)
            #expect(dom.components(separatedBy: #"<svg class="chart latency""#).count - 1 == 1)
            // A wall bar and a latency curve (with its axes' percentiles) per strategy.
            #expect(dom.components(separatedBy: #"<rect class="bar""#).count - 1 >= 2)
            #expect(dom.components(separatedBy: "<polyline").count - 1 >= 2)
            #expect(dom.contains(">p99</text>") && dom.contains(">max</text>"))
            #expect(dom.contains("Fastest correct: <strong>"))
            #expect(dom.components(separatedBy: #"<table class="answer">"#).count - 1 == 1)
        }
    }
}
