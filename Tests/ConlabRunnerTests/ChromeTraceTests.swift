import ConlabCore
import Foundation
import Testing

@testable import ConlabRunner

@Suite("Trace size bound")
struct ChromeTraceTests {
    @Test("A run planned over the limit keeps an even sample of its units, never more than the limit")
    func sampling() throws {
        let trace = ChromeTrace()
        let run = TraceRun(trace: trace, name: "big / async", plannedUnits: 50_000)
        #expect(run.stride == 3)
        let now = ContinuousClock.now
        for index in 0..<60_000 {
            let unit = UnitCoordinates(phase: 0, index: index, phaseName: "generation", name: "cell \(index)")
            run.add(unit, start: now, end: now, slices: [])
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trace-\(UUID()).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try trace.write(to: OutputFile(path, what: "the trace"))
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any]
        )
        let events = try #require(document["traceEvents"] as? [[String: Any]])
        let kept = events.filter { $0["ph"] as? String == "b" }.compactMap { $0["name"] as? String }
        #expect(kept.count == 20_000)
        // Every third unit from the first: the sample reaches the end of the run.
        #expect(kept.first == "generation 0, cell 0" && kept[1] == "generation 0, cell 3")
        #expect(kept.last == "generation 0, cell 59997")
        #expect((document["otherData"] as? [String: Any])?["units_left_out"] as? Int == 40_000)
        // A small run keeps everything.
        #expect(TraceRun(trace: ChromeTrace(), name: "small", plannedUnits: 180).stride == 1)
    }
}
