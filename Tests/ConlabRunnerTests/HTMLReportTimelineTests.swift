import ConlabLog
import Testing

@testable import ConlabRunner

@Suite("The report's timelines")
struct HTMLReportTimelineTests {
    @Test("The time axis steps by round values and its ticks read as they are: 0, 5 ms, 12.5 ms, 250 ms, 1.5 s")
    func axis() {
        #expect(HTMLReport.timeAxis(0.016).step == 0.005 && HTMLReport.timeAxis(0.016).ticks == 4)
        #expect(HTMLReport.timeAxis(0.222).step == 0.05 && HTMLReport.timeAxis(0.222).ticks == 5)
        #expect(
            [0, 0.005, 0.0125, 0.25, 1.5, 0.000_25].map(HTMLReport.tickLabel)
                == ["0", "5 ms", "12.5 ms", "250 ms", "1.5 s", "250 µs"]
        )
    }

    @Test("Threads that never overlap share a row; threads at work together each have their own")
    func rows() {
        func compute(_ thread: Int32, _ start: Int64, _ end: Int64) -> UnitTimeline.Slice {
            UnitTimeline.Slice(unit: 0, kind: .compute, step: nil, thread: thread, start: start, end: end)
        }
        // A thread per unit: two at once in each of two phases, then a suspended wait that holds none.
        let slices = [
            compute(1, 0, 10), compute(2, 1, 10), compute(3, 20, 30), compute(4, 21, 30),
            UnitTimeline.Slice(unit: 1, kind: .wait, step: "io", thread: nil, start: 30, end: 40),
        ]
        let (rowOf, rows, threads) = HTMLReport.rows(of: slices)
        #expect(rows == 2 && threads == 4)
        #expect(rowOf == [1: 0, 2: 1, 3: 0, 4: 1])
    }
}
