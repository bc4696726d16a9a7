import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabTestSupport
import ConlabToolkit
import Synchronization
import Testing

/// A unit that waits `waits` times on `model` and outputs its index, for driving the executors.
private struct Sleeper: WorkUnit {
    let index: Int
    let waits: Int
    let model: IOModel
    var done = 0

    var coordinates: UnitCoordinates {
        UnitCoordinates(phase: 0, index: index, phaseName: "phase", name: "unit \(index)")
    }

    mutating func advance() -> UnitStep<Int> {
        guard done < waits else { return .finished(index) }
        done += 1
        return .wait(.io(step: "step\(done)", draw: model.draw(CounterRandom(seed: 5), 0, UInt64(index), UInt64(done))))
    }
}

/// Sleepers of `count`, each waiting `waits` times on `model`.
private struct Sleepers: UnitBatch {
    let count: Int
    let waits: Int
    let model: IOModel
    var phase: Int { 0 }
    func unit(at index: Int) -> Sleeper { Sleeper(index: index, waits: waits, model: model) }
}

/// A slab handed to threads that each step a slot of their own.
private final class SharedSlab: @unchecked Sendable {
    // @unchecked: each thread steps only its own slot (a slab's contract for distinct slots), and the outputs
    // are read after every thread is joined.
    let slab: any UnitSlab<Int>
    init(_ slab: any UnitSlab<Int>) { self.slab = slab }
}

@Suite("Driving units through their waits")
struct WorkUnitExecutionTests {
    @Test("The instant driver adds up the waits without waiting")
    func instant() throws {
        let unit = Sleeper(index: 3, waits: 2, model: IOModel(latency: .fixed(.seconds(10))))
        let clock = ContinuousClock()
        let started = clock.now
        let (result, waited) = unit.runInstantly()
        #expect(try result.get() == 3)
        #expect(waited == .seconds(20))
        #expect(clock.now - started < .seconds(1))
    }

    @Test("The blocking driver really blocks for the drawn time")
    func blocking() async throws {
        let unit = Sleeper(index: 1, waits: 3, model: IOModel(latency: .fixed(.milliseconds(20))))
        let clock = ContinuousClock()
        let started = clock.now
        // On a thread of its own: blocking a test's pool thread would hold up the tests running beside it.
        let output = try await OSThread.run(name: "blocking-test") { _ in
            try unit.runBlocking(using: TestServices.waits, reportingTo: nil)
        }
        #expect(output == 1)
        #expect(clock.now - started >= .milliseconds(60))
    }

    @Test("A slab's slots run to their outputs on threads of their own, every unit and wait reported")
    func slabSlotsOnThreads() async throws {
        let batch = Sleepers(count: 32, waits: 2, model: IOModel(latency: .fixed(.milliseconds(20))))
        let slab = SharedSlab(batch.slab(first: 0, count: batch.count))
        let sink = ReportCounter()
        let failures = Atomic<Int>(0)
        try await OSThread.run(name: "slab-test") { _ in
            let threads = try (0..<batch.count).map { slot in
                try OSThread.spawn(name: "slot-\(slot)") {
                    do throws(UnitFailure) {
                        try slab.slab.runBlocking(slot: slot, using: TestServices.waits, reportingTo: sink)
                    } catch {
                        failures.add(1, ordering: .relaxed)
                    }
                }
            }
            for thread in threads { thread.join() }
        }
        // A slab's outputs are there only when every slot finished.
        try #require(failures.load(ordering: .relaxed) == 0)
        #expect(slab.slab.outputs() == Array(0..<32))
        #expect(sink.counts == (32, 64))
    }

    @Test("The suspending driver waits the same time")
    func suspending() async throws {
        let unit = Sleeper(index: 2, waits: 2, model: IOModel(latency: .fixed(.milliseconds(20))))
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try await unit.runSuspending(using: TestServices.waits, reportingTo: nil) == 2)
        #expect(clock.now - started >= .milliseconds(40))
    }

    @Test("A failed I/O call becomes a UnitFailure naming the unit and the step, in every driver")
    func failures() async throws {
        let failing = Sleeper(index: 7, waits: 2, model: IOModel(latency: .fixed(.microseconds(10)), failureRate: 1))
        let expected = UnitFailure(
            coordinates: failing.coordinates,
            step: "step1",
            reason: .ioFailed
        )
        await #expect(throws: expected) {
            try await OSThread.run(name: "failing-test") { _ in
                try failing.runBlocking(using: TestServices.waits, reportingTo: nil)
            }
        }
        await #expect(throws: expected) { try await failing.runSuspending(using: TestServices.waits, reportingTo: nil) }
        #expect(failing.runInstantly().result == .failure(expected))
        #expect(expected.description == "phase 0, unit 7: I/O in step1 failed")
    }

    @Test("A latency beyond the timeout waits the timeout, then times out")
    func timeout() throws {
        let model = IOModel(latency: .fixed(.seconds(5)), timeout: .milliseconds(10))
        let unit = Sleeper(index: 0, waits: 1, model: model)
        let (result, waited) = unit.runInstantly()
        #expect(waited == .milliseconds(10))
        guard case .failure(let failure) = result else {
            Issue.record("expected a timeout")
            return
        }
        #expect(failure.reason == .timedOut(.milliseconds(10)))
        #expect(failure.description.hasSuffix("I/O in step1 timed out after 10ms"))
    }

    @Test("Draws depend on the seed and the coordinates only")
    func drawsAreReproducible() {
        let model = IOModel(latency: .exponential(mean: .milliseconds(10)), failureRate: 0.3)
        let a = model.draw(CounterRandom(seed: 9), 1, 2, 3)
        let b = model.draw(CounterRandom(seed: 9), 1, 2, 3)
        #expect(a == b)
        #expect(a != model.draw(CounterRandom(seed: 9), 1, 3, 3))
        #expect(a != model.draw(CounterRandom(seed: 10), 1, 2, 3))
    }
}
