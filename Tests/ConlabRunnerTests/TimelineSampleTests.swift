import ConlabCore
import ConlabLog
import Testing

@testable import ConlabRunner

@Suite("The log's unit timeline")
struct TimelineSampleTests {
    @Test("A million-unit round keeps an even sample of 200 units, their slices in microseconds from the start")
    func bounded() {
        let origin = ContinuousClock.now
        let sample = TimelineSample(plannedUnits: 1_000_000, origin: origin)
        #expect(sample.every == 5_000)
        for index in 0..<1_000_000 {
            let start = origin + .microseconds(index)
            sample.finished(
                UnitCoordinates(phase: 0, index: index, phaseName: "generation", name: "cell"),
                start: start,
                end: start + .microseconds(3),
                slices: [
                    .compute(start: start, end: start + .microseconds(1), thread: 7),
                    .wait(
                        step: "game_logic",
                        start: start + .microseconds(1),
                        end: start + .microseconds(3),
                        thread: nil
                    ),
                ]
            )
        }
        let result = RunResult(
            scenario: "big",
            strategy: "async",
            label: "async",
            outcome: .success,
            correct: true,
            error: nil
        )
        let timeline = sample.timeline(of: result)
        #expect(timeline.units == 1_000_000 && timeline.sampledUnits == 200 && timeline.slices.count == 400)
        // Every 5000th unit from the first: the sample reaches the end of the round.
        #expect(
            timeline.slices[0] == UnitTimeline.Slice(unit: 0, kind: .compute, step: nil, thread: 7, start: 0, end: 1)
        )
        #expect(
            timeline.slices[399]
                == UnitTimeline.Slice(
                    unit: 199,
                    kind: .wait,
                    step: "game_logic",
                    thread: nil,
                    start: 995_001,
                    end: 995_003
                )
        )
        // A small round keeps every unit.
        #expect(TimelineSample(plannedUnits: 180).every == 1)
    }
}
