import ConlabCore
import ConlabLatency
import ConlabToolkit
import Testing

/// Deadlines and latency draws at the ends of their ranges: saturating, capped, never wrapping.
@Suite("Time arithmetic at its limits")
struct TimeOverflowTests {
    @Test("A deadline far beyond the clock's range saturates in the future instead of wrapping into the past")
    func deadlineSaturates() {
        let now = Deadline.now
        let far = now + .nanoseconds(Int64.max)
        #expect(far > now)
        #expect(far.nanoseconds == .max)
        #expect(Deadline(nanoseconds: .min + 5) + .nanoseconds(Int64.min) == Deadline(nanoseconds: .min))
    }

    @Test("Two deadlines at the clock's ends are exactly apart, not wrapped")
    func differenceIsExact() {
        let span = Deadline(nanoseconds: .max) - Deadline(nanoseconds: .min)
        #expect(span > .zero)
        #expect(span == .nanoseconds(Int64.max) * 2 + .nanoseconds(1))
        #expect(Deadline(nanoseconds: .min) - Deadline(nanoseconds: .max) == .zero - span)
    }

    @Test("The maximum latency is the 1000h the scenario format documents")
    func maximumIsDocumented() {
        #expect(DurationSyntax.parse("1000h") == LatencyModel.maximum)
    }

    @Test(
        "Heavy-tailed draws are capped at the maximum latency",
        arguments: [
            LatencyModel.pareto(scale: .milliseconds(1), shape: 0.1),
            .pareto(scale: .seconds(3600), shape: 0.01),
            .lognormal(median: .seconds(1000), sigma: 10),
            .exponential(mean: .seconds(1_000_000)),
            .normal(mean: .seconds(3_000_000), standardDeviation: .seconds(1_000_000)),
        ]
    )
    func heavyTailsCapped(model: LatencyModel) {
        let highest = model.sample(1)
        #expect(highest == LatencyModel.maximum, "\(model.summary): \(highest)")
        // Every draw stays at or below the cap, and a deadline that far ahead is still in the future.
        for u in stride(from: 0.0, to: 1, by: 0.001) {
            #expect(model.sample(u) <= LatencyModel.maximum)
        }
        #expect(Deadline.after(highest) > .now)
    }

    @Test("The ideal floor is computed from the capped draws, so it is finite and no longer than they allow")
    func idealFromCappedDraws() {
        let model = IOModel(latency: .pareto(scale: .milliseconds(1), shape: 0.1))
        let random = CounterRandom(seed: 1)
        let draws = (0..<1000).map { model.draw(random, 0, UInt64($0), 1).duration }
        #expect(draws.allSatisfy { $0 <= LatencyModel.maximum })
        let ideal = IdealSchedule.makespan(of: draws, workers: 1)
        #expect(ideal <= LatencyModel.maximum * 1000)
        #expect(ideal == draws.reduce(.zero, +))
    }
}
