import Testing

@testable import StrategyAsync

@Suite("What async says when its lag probe ran late")
struct AsyncLagWarningTests {
    private func warning(
        worst: Duration = .milliseconds(400),
        blockingWaits: Bool = false,
        blockedSteps: [String] = [],
        units: Int,
        threads: Int = 2
    ) -> String? {
        LagWarning(
            worst: worst,
            mean: .milliseconds(20),
            blockingWaits: blockingWaits,
            blockedSteps: blockedSteps,
            largestPhase: (units, threads)
        ).message
    }

    @Test("A probe late by no more than the threshold is not reported")
    func underThreshold() {
        #expect(warning(worst: LagWarning.threshold, units: 1_000_000) == nil)
    }

    @Test("Units that blocked pool threads are named, with the option that makes them block")
    func blockedUnits() throws {
        let message = try #require(warning(blockingWaits: true, blockedSteps: ["game_logic"], units: 45))
        #expect(
            message.hasPrefix("the cooperative pool lagged: a 1 ms probe task ran up to 0.400 s late (mean 20.00 ms)")
        )
        #expect(message.hasSuffix("units blocked pool threads in game_logic (blocking_waits: true)"))
    }

    @Test("A million units on two threads is the phase's size, not CPU-bound units: no advice to use processes")
    func manyUnits() throws {
        let message = try #require(warning(units: 1_000_000))
        #expect(message.hasPrefix("the timer shards running the tasks lagged"))
        #expect(message.contains("making and stepping 1000000 units, 500000 a thread, kept the threads busy"))
        #expect(!message.contains("item 64"))
    }

    @Test("A lag with few units and none blocked points at CPU-bound units")
    func cpuBound() throws {
        let message = try #require(warning(units: 2_000))
        #expect(
            message.hasSuffix(
                "CPU-bound units, or more runnable tasks than threads (CPU work belongs on threads "
                    + "or processes, item 64)"
            )
        )
    }
}
