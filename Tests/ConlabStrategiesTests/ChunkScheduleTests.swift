import Testing

@testable import StrategyProcess

@Suite("Chunks of units for worker processes")
struct ChunkScheduleTests {
    private func chunks(count: Int, workers: Int, fixedSize: Int?) -> [Range<Int>] {
        let schedule = ChunkSchedule(count: count, workers: workers, fixedSize: fixedSize)
        return Array(sequence(state: schedule) { $0.take() })
    }

    @Test(
        "Guided chunks cover every unit once, in order, shrinking to single units",
        arguments: [1, 2, 3, 400, 10_000]
    )
    func guided(count: Int) {
        let taken = chunks(count: count, workers: 2, fixedSize: nil)
        #expect(taken.flatMap { Array($0) } == Array(0..<count))
        #expect(zip(taken, taken.dropFirst()).allSatisfy { $0.count >= $1.count })
        #expect(taken.last?.count == 1)
        // A quarter of what is left per pair of workers: the first of 400 units for two workers is 100.
        if count == 400 { #expect(taken.first == 0..<100) }
        // Far fewer round trips than units, once there are many.
        if count >= 400 { #expect(taken.count < count / 10) }
    }

    @Test("A fixed size is ProcessPoolExecutor.map's chunksize: 1 is a unit at a time, the last chunk is what is left")
    func fixed() {
        #expect(chunks(count: 3, workers: 2, fixedSize: 1) == [0..<1, 1..<2, 2..<3])
        #expect(chunks(count: 10, workers: 2, fixedSize: 4) == [0..<4, 4..<8, 8..<10])
        #expect(chunks(count: 0, workers: 2, fixedSize: nil).isEmpty)
    }

    @Test("A chunk is queued ahead only while every worker could still get one of its size")
    func ahead() {
        // Two chunks of 200 for two workers: the first worker to ask gets one, not both.
        let halves = ChunkSchedule(count: 400, workers: 2, fixedSize: 200)
        #expect(halves.take() == 0..<200)
        #expect(halves.take(ahead: true) == nil)
        #expect(halves.take() == 200..<400)
        // Guided: ahead while plenty is left, then only on asking for the next one.
        let guided = ChunkSchedule(count: 400, workers: 2, fixedSize: nil)
        #expect(guided.take() == 0..<100)
        #expect(guided.take(ahead: true) == 100..<175)
        while let chunk = guided.take(ahead: true) { #expect(chunk.upperBound < 400) }
        #expect(guided.take() != nil)
    }
}
