import ConlabCore
import Testing

@Suite("Ideal schedule")
struct IdealScheduleTests {
    @Test("N equal units on k workers take ceil(N/k)·L")
    func equalLatencies() {
        let waits = Array(repeating: Duration.milliseconds(100), count: 45)
        #expect(IdealSchedule.makespan(of: waits, workers: 10) == .milliseconds(500))
        #expect(IdealSchedule.makespan(of: waits, workers: 5) == .milliseconds(900))
        #expect(IdealSchedule.makespan(of: waits, workers: 1) == .milliseconds(4500))
        #expect(IdealSchedule.makespan(of: waits, workers: nil) == .milliseconds(100))
        #expect(IdealSchedule.makespan(of: waits, workers: 100) == .milliseconds(100))
    }

    @Test("Unequal units are list-scheduled in submission order")
    func listScheduling() {
        // A takes 5, B takes 3; B is free first, so it takes 1 (free at 4) and then 4: done at 8.
        let waits: [Duration] = [.seconds(5), .seconds(3), .seconds(1), .seconds(4)]
        #expect(IdealSchedule.makespan(of: waits, workers: 2) == .seconds(8))
        #expect(IdealSchedule.makespan(of: [], workers: 3) == .zero)
    }
}

@Suite("Ideal schedule of staged queues")
struct FlowShopTests {
    @Test("One step is list scheduling")
    func oneStage() {
        let profile = PhaseProfile(totals: Array(repeating: .milliseconds(100), count: 45))
        #expect(IdealSchedule.flowShop(profile, workers: 5) == .milliseconds(900))
        #expect(IdealSchedule.flowShop(profile, workers: nil) == .milliseconds(100))
    }

    @Test("Two steps overlap: the second stage works while the first still has units")
    func twoStages() {
        var profile = PhaseProfile()
        for _ in 0..<10 {
            profile.startUnit()
            profile.record(step: "count_neighbors", duration: .milliseconds(10))
            profile.record(step: "game_logic", duration: .milliseconds(10))
        }
        // Stage 1 finishes pairs at 10, 20, ..., 50 ms; stage 2 follows 10 ms behind: done at 60 ms.
        #expect(IdealSchedule.flowShop(profile, workers: 2) == .milliseconds(60))
        #expect(profile.totals.allSatisfy { $0 == .milliseconds(20) })
        #expect(profile.steps == ["count_neighbors", "game_logic"])
    }
}
