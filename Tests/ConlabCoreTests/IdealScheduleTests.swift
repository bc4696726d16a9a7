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

@Suite("Ideal schedule in closed form")
struct IdealScheduleClosedFormTests {
    @Test("Alike waits on k workers: the closed form equals list scheduling", arguments: [nil, 1, 2, 3, 7, 10, 64])
    func makespan(workers: Int?) {
        for units in [0, 1, 2, 9, 10, 11, 45, 100] {
            let wait = Duration.milliseconds(7)
            let listed = IdealSchedule.makespan(of: Array(repeating: wait, count: units), workers: workers)
            #expect(IdealSchedule.makespan(units: units, each: wait, workers: workers) == listed, "\(units) units")
        }
    }

    @Test("Alike units through stages: the closed form equals the flow shop", arguments: [nil, 1, 2, 5, 50])
    func flowShop(workers: Int?) {
        let shapes: [[Duration]] = [
            [.milliseconds(10)], [.milliseconds(10), .milliseconds(10)], [.milliseconds(3), .milliseconds(11)],
            [.milliseconds(11), .zero, .milliseconds(3), .milliseconds(5)], [.zero],
        ]
        for waits in shapes {
            for units in [0, 1, 4, 5, 6, 45] {
                var profile = PhaseProfile()
                for _ in 0..<units {
                    profile.startUnit()
                    for (index, wait) in waits.enumerated() { profile.record(step: "step \(index)", duration: wait) }
                }
                profile.finish()
                #expect(
                    IdealSchedule.flowShop(units: units, each: waits, workers: workers)
                        == IdealSchedule.flowShop(profile, workers: workers),
                    "\(units) units waiting \(waits)"
                )
            }
        }
    }

    @Test("Estimates from a mean: none when every unit runs at once, the largest draw being unknown")
    func estimates() {
        let mean = Duration.milliseconds(100)
        #expect(IdealSchedule.expectedMakespan(units: 45, mean: mean, workers: 10) == .milliseconds(500))
        #expect(IdealSchedule.expectedMakespan(units: 45, mean: mean, workers: nil) == nil)
        #expect(IdealSchedule.expectedMakespan(units: 45, mean: mean, workers: 45) == nil)
        #expect(IdealSchedule.expectedMakespan(units: 1, mean: mean, workers: nil) == mean)
        #expect(IdealSchedule.expectedMakespan(units: 0, mean: mean, workers: nil) == .zero)
        #expect(IdealSchedule.expectedFlowShop(units: 45, means: [mean, mean], workers: 5) == .milliseconds(1000))
        #expect(IdealSchedule.expectedFlowShop(units: 45, means: [mean], workers: nil) == nil)
    }
}
