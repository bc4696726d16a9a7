import ConlabCore
import ConlabScenario
import Testing

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
