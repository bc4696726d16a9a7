import ConlabLog
import Testing

@Suite("The log's reference grids")
struct ReferenceFramesTests {
    @Test("A short run keeps every grid; a long one 12, evenly spaced from the first to the last, and says so")
    func kept() {
        let short = ReferenceFrames.bounded(scenario: "s", rows: 2, columns: 2, grids: 5) { _ in ["*-", "-*"] }
        #expect(short.frames.map(\.generation) == [0, 1, 2, 3, 4] && short.leftOut == nil)
        #expect(short.frames.allSatisfy { $0.liveCells == 2 })
        let long = ReferenceFrames.bounded(scenario: "l", rows: 64, columns: 64, grids: 101) { _ in [] }
        #expect(long.frames.map(\.generation) == [0, 9, 18, 27, 36, 45, 55, 64, 73, 82, 91, 100])
        #expect(long.leftOut == "89 of 101 grids: at most 12 are kept, evenly spaced")
    }

    @Test("A grid over 64 cells a side is never rendered: its size and the reason, no cells")
    func large() {
        var rendered = 0
        let big = ReferenceFrames.bounded(scenario: "b", rows: 1000, columns: 1000, grids: 3) { _ in
            rendered += 1
            return []
        }
        #expect(rendered == 0 && big.frames.isEmpty && big.rows == 1000)
        #expect(big.leftOut == "every grid: 1000×1000 is larger than the 64×64 kept")
        let wide = ReferenceFrames.bounded(scenario: "w", rows: 4, columns: 65, grids: 3) { _ in [] }
        #expect(wide.frames.isEmpty && wide.leftOut != nil)
    }
}
