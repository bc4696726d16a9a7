import ConlabCore
import Synchronization
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

    /// Counts its instances alive, so that a test sees each one ended exactly once.
    final class Counted: Sendable, Codable, Equatable {
        static let alive = Atomic<Int>(0)
        init() { Self.alive.add(1, ordering: .relaxed) }
        init(from decoder: any Decoder) { Self.alive.add(1, ordering: .relaxed) }
        func encode(to encoder: any Encoder) {}
        deinit { Self.alive.subtract(1, ordering: .relaxed) }
        static func == (left: Counted, right: Counted) -> Bool { left === right }
    }

    /// Waits once when its index is even; its output is a ``Counted`` of its own.
    struct CountedUnit: WorkUnit {
        let index: Int
        let counted = Counted()
        var waited = false

        var coordinates: UnitCoordinates {
            UnitCoordinates(phase: 0, index: index, phaseName: "phase", name: "unit \(index)")
        }

        mutating func advance() throws -> UnitStep<Counted> {
            if index % 2 == 0 && !waited {
                waited = true
                return .wait(.io(step: "wait", draw: IODraw(latency: .zero, duration: .zero, outcome: .completed)))
            }
            return .finished(Counted())
        }
    }

    struct CountedBatch: UnitBatch {
        var phase: Int { 0 }
        var count: Int { 12 }
        func unit(at index: Int) -> CountedUnit { CountedUnit(index: index) }
    }

    @Test("A slab dropped with runs of unmade, waiting and finished slots ends each unit and output once")
    func droppedInRuns() throws {
        do {
            let slab = CountedBatch().slab(first: 0, count: 12)
            // Slots 0 and 2 wait, 1 and 3 finish at once, 4–6 finish (4 and 6 resumed), 7 is never made,
            // 8 and 10 wait, 9 finishes, 11 is never made: nine runs of states.
            for slot in [0, 1, 2, 3, 4, 5, 6, 8, 9, 10] { _ = try slab.start(slot) }
            for slot in [4, 6] { #expect(try slab.resume(slot) == nil) }
            // 10 units and the 6 outputs of slots 1, 3, 4, 5, 6 and 9.
            #expect(Counted.alive.load(ordering: .relaxed) == 16)
        }
        #expect(Counted.alive.load(ordering: .relaxed) == 0)
    }
}
