import ConlabCore
import ConlabLog
import Synchronization

/// The units of one strategy round kept for its `unit_timeline` (under `--trace`): every unit of a round
/// planned with at most ``UnitTimeline/unitLimit`` units, every `every`-th unit to finish of a larger one,
/// as the trace samples, and never more than the limit — a million-unit round logs a few hundred units.
final class TimelineSample: UnitTimings.Sink {
    /// Keep one unit in this many.
    let every: Int
    private let origin: ContinuousClock.Instant
    private let state = Mutex(State())

    private struct State {
        var finished = 0
        var kept = 0
        var slices: [UnitTimeline.Slice] = []
    }

    /// A sample for a round of `plannedUnits` units whose times count from `origin`.
    init(plannedUnits: Int, origin: ContinuousClock.Instant = .now) {
        every = max(1, (plannedUnits + UnitTimeline.unitLimit - 1) / UnitTimeline.unitLimit)
        self.origin = origin
    }

    /// The round's timeline, for the log, named as its `result` is.
    func timeline(of result: RunResult) -> UnitTimeline {
        state.withLock { state in
            UnitTimeline(
                scenario: result.scenario,
                strategy: result.strategy,
                label: result.label,
                repetition: result.repetition,
                units: state.finished,
                sampledUnits: state.kept,
                every: every,
                slices: state.slices
            )
        }
    }

    /// Every unit's slices: they are what the timeline draws.
    var tracesSlices: Bool { true }

    func finished(
        _ coordinates: @autoclosure () -> UnitCoordinates,
        start: ContinuousClock.Instant,
        end: ContinuousClock.Instant,
        slices: [UnitTimings.Slice]
    ) {
        // Converted outside the lock: units finish on many threads at once.
        let converted = slices.map { slice in
            switch slice {
            case .compute(let from, let to, let thread):
                UnitTimeline.Slice(
                    unit: 0,
                    kind: .compute,
                    step: nil,
                    thread: thread,
                    start: microseconds(from),
                    end: microseconds(to)
                )
            case .wait(let step, let from, let to, let thread):
                UnitTimeline.Slice(
                    unit: 0,
                    kind: .wait,
                    step: step,
                    thread: thread,
                    start: microseconds(from),
                    end: microseconds(to)
                )
            }
        }
        state.withLock { state in
            state.finished += 1
            guard (state.finished - 1) % every == 0, state.kept < UnitTimeline.unitLimit else { return }
            for var slice in converted {
                slice.unit = state.kept
                state.slices.append(slice)
            }
            state.kept += 1
        }
    }

    /// Waits are in the slices.
    func waited(beyond error: Duration) {}

    /// Untraced reports carry no slices to draw; counted so that the round's units are all told.
    func record(waitErrors: UnsafeBufferPointer<Int64>, unitLatencies: UnsafeBufferPointer<Int64>) {
        state.withLock { $0.finished += unitLatencies.count }
    }

    /// Whole microseconds from the round's start; 0 for anything before it.
    private func microseconds(_ instant: ContinuousClock.Instant) -> Int64 {
        let (seconds, attoseconds) = (instant - origin).components
        return max(0, seconds * 1_000_000 + attoseconds / 1_000_000_000_000)
    }
}
