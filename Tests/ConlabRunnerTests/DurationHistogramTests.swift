import ConlabLog
import ConlabToolkit
import Testing

@testable import ConlabRunner

@Suite("Duration histograms")
struct DurationHistogramTests {
    @Test("Threads recording at once, more than there are shards, lose no duration, whichever shard takes it")
    func concurrentRecordsAllCounted() throws {
        let histogram = DurationHistogram()
        let threads = 16
        let each = 5_000
        // Every thread records 1 ms to 5 ms in turn, so the quantiles are known whatever shard holds what.
        let started = try (0..<threads).map { _ in
            try OSThread.spawn(name: "test-histogram") {
                for index in 0..<each { histogram.record(.milliseconds(1 + index % 5)) }
            }
        }
        for thread in started { thread.join() }
        let summary = try #require(histogram.summary)
        #expect(summary.count == threads * each)
        #expect(abs(summary.p50Seconds - 0.003) < 0.003 * 0.002)
        #expect(abs(summary.maxSeconds - 0.005) < 0.005 * 0.002)
    }
}
