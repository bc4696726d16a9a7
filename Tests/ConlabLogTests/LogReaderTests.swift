import ConlabLog
import ConlabTestSupport
import Foundation
import Testing

@Suite("Reading a log")
struct LogReaderTests {
    private let finished =
        #"{"event":"run_finished","exit_status":0,"failures":0,"interrupted":false,"process_seconds":0.5,"#
        + #""results":0,"schema":"conlab.v1","time":"t","unmet_expectations":0}"#

    private func read(_ text: String) throws(LogReadError) -> [LogEvent] {
        try LogReader.records(in: Data(text.utf8), file: "run.jsonl").map(\.event)
    }

    private func failure(_ text: String) -> String? {
        do {
            _ = try read(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("A bad line is named by file and line, with what is wrong in the log's own terms")
    func badLines() {
        #expect(
            failure(finished + "\nnot json\n" + finished + "\n") == "run.jsonl:2: not a JSON object: not a conlab log"
        )
        #expect(failure("[1, 2]\n") == "run.jsonl:1: not a JSON object: not a conlab log")
        #expect(failure(#"{"event":"result"}"# + "\n") == "run.jsonl:1: no schema field: not a conlab log")
        #expect(
            failure("\n" + finished.replacingOccurrences(of: #""results":0,"#, with: "") + "\n")
                == "run.jsonl:2: no results field"
        )
        #expect(
            failure(finished.replacingOccurrences(of: #""results":0"#, with: #""results":"two""#) + "\n")
                == "run.jsonl:1: results is not an integer"
        )
        #expect(
            failure(finished.replacingOccurrences(of: "conlab.v1", with: "conlab.v2") + "\n")
                == "run.jsonl:1: schema conlab.v2: this conlab reads conlab.v1 logs only"
        )
    }

    @Test("Events and fields a newer conlab.v1 adds are skipped, as the schema asks of readers")
    func newerMinorVersion() throws {
        let newer = #"{"event":"heartbeat","schema":"conlab.v1","time":"t","beats":3}"#
        let extraField = finished.replacingOccurrences(of: #""results":0,"#, with: #""results":0,"shiny":[1],"#)
        let events = try read(newer + "\n" + extraField + "\n")
        #expect(events.map(\.name) == ["run_finished"])
        #expect(events.first?.runFinished?.processSeconds == 0.5)
    }

    @Test("A last line cut short by a killed run is left out; the lines before it are read")
    func cutShort() throws {
        #expect(try read(finished + "\n" + #"{"event":"res"#).map(\.name) == ["run_finished"])
        #expect(
            failure(finished + "\n" + #"{"event":"res"# + "\n") == "run.jsonl:2: not a JSON object: not a conlab log"
        )
    }

    @Test("A missing file is named")
    func missingFile() {
        #expect(throws: LogReadError(file: "/nonexistent.jsonl", line: nil, reason: "cannot be read")) {
            try LogReader.events(atPath: "/nonexistent.jsonl")
        }
    }

    @Test("A real log written by conlab run reads back: every event, in order, with the run's figures")
    func realLog() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.url.appendingPathComponent("run.jsonl").path
        let output = try await ConlabBinary.run([
            "run", "scenarios/life-glider.yaml", "--set", "workload.io.latency=1ms", "--strategies", "serial,async",
            "--log", log, "--quiet",
        ])
        #expect(output.status == 0, "\(output.standardError)")
        let events = try LogReader.events(atPath: log)
        #expect(
            events.map(\.name)
                == ["run_started", "reference_frames"] + Array(repeating: "phase_finished", count: 4) + ["result"]
                + Array(repeating: "phase_finished", count: 4) + ["result", "run_finished"]
        )
        let started = try #require(events.first?.runStarted)
        #expect(started.scenarios.map(\.name) == ["life-glider"] && started.machine.cores >= 1)
        let results = events.compactMap(\.result)
        #expect(results.map(\.strategy) == ["serial", "async"])
        #expect(results.allSatisfy { $0.correct && $0.outcome == .success && $0.unitLatency?.count == 180 })
        #expect(events.last?.runFinished?.results == 2)
        // Written again, each line is the same bytes conlab wrote.
        let text = try String(contentsOfFile: log, encoding: .utf8)
        let rewritten = try LogReader.records(atPath: log).map { String(decoding: try $0.jsonLine(), as: UTF8.self) }
        #expect(rewritten.joined() == text)
    }
}
