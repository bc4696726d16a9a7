import ConlabCore
import Testing

@Suite("Slabs: a share of a batch's units stepped in place")
struct UnitSlabTests {
    /// Alive while some unit holding it is.
    final class Token: Sendable {}

    struct TokenUnit: WorkUnit {
        let index: Int
        let token: Token
        var waited = false

        var coordinates: UnitCoordinates {
            UnitCoordinates(phase: 0, index: index, phaseName: "phase", name: "unit \(index)")
        }

        mutating func advance() throws -> UnitStep<Int> {
            if index % 2 == 0 && !waited {
                waited = true
                return .wait(.io(step: "wait", draw: IODraw(latency: .zero, duration: .zero, outcome: .completed)))
            }
            return .finished(index * 10)
        }
    }

    struct TokenBatch: UnitBatch {
        let token: Token
        var phase: Int { 0 }
        var count: Int { 8 }
        func unit(at index: Int) -> TokenUnit { TokenUnit(index: index, token: token) }
    }

    @Test("The generic slab makes, resumes and keeps outputs in slot order, for the batch's units from `first`")
    func steps() throws {
        let slab = TokenBatch(token: Token()).slab(first: 2, count: 4)
        #expect(try slab.start(0) != nil)  // unit 2 waits
        #expect(try slab.start(1) == nil)  // unit 3 finishes at once
        #expect(try slab.start(2) != nil)
        #expect(try slab.start(3) == nil)
        #expect(try slab.resume(0) == nil)
        #expect(try slab.resume(2) == nil)
        #expect(slab.outputs() == [20, 30, 40, 50])
        #expect(slab.coordinates(of: 1).name == "unit 3")
    }

    @Test("A slab dropped partway ends the units it made and the outputs it kept, and no others")
    func dropped() throws {
        weak var watched: Token?
        do {
            let token = Token()
            watched = token
            let slab = TokenBatch(token: token).slab(first: 0, count: 8)
            _ = try slab.start(0)  // waiting
            _ = try slab.start(1)  // finished
            _ = try slab.start(2)  // waiting; slots 3... never made
        }
        #expect(watched == nil)
    }

    @Test("Slots made out of order (tasks start in any order) step, keep their outputs and are ended when dropped")
    func outOfOrder() throws {
        weak var watched: Token?
        do {
            let token = Token()
            watched = token
            let slab = TokenBatch(token: token).slab(first: 0, count: 4)
            #expect(try slab.start(3) == nil)  // unit 3 finishes at once
            #expect(try slab.start(0) != nil)  // unit 0 waits
            #expect(try slab.start(2) != nil)  // slot 1 is never made
            #expect(try slab.resume(2) == nil)
            #expect(slab.coordinates(of: 3).name == "unit 3")
        }
        #expect(watched == nil)
        let complete = TokenBatch(token: Token()).slab(first: 0, count: 3)
        for slot in [2, 1, 0] { _ = try complete.start(slot) }
        for slot in [0, 2] { #expect(try complete.resume(slot) == nil) }
        #expect(complete.outputs() == [0, 10, 20])
    }
}
