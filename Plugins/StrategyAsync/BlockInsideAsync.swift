import ConlabCore
import ConlabToolkit
import Synchronization

/// Runs a unit by blocking the calling thread in every wait, even though the caller is a task on the
/// cooperative pool: item 63's mistake, on purpose, for `blocking_waits: true`.
///
/// Synchronous on purpose: the compiler rightly refuses blocking calls in async code, and this is the one
/// place that makes them anyway, so the lag probe has something to find. Reports to `timings` as the
/// drivers do.
func blockInsideAsync<Unit: WorkUnit>(
    _ unit: Unit,
    using services: WaitServices,
    recording blocked: BlockedSteps,
    reportingTo timings: (any UnitTimings.Sink)?
) throws(UnitFailure) -> Unit.Output {
    var unit = unit
    let started = ContinuousClock.now
    while true {
        switch try unit.step() {
        case .finished(let output):
            timings?.finished(unit.coordinates, start: started, end: .now, slices: [])
            return output
        case .wait(let wait):
            blocked.insert(wait.step)
            let waitStarted = ContinuousClock.now
            try wait.performBlocking(at: unit.coordinates, using: services)
            if case .io = wait { timings?.waited(beyond: ContinuousClock.now - waitStarted - wait.duration) }
        }
    }
}

/// The steps whose waits blocked a pool thread, for the warning.
final class BlockedSteps: Sendable {
    private let steps = Mutex<[String]>([])

    func insert(_ step: String) {
        steps.withLock { if !$0.contains(step) { $0.append(step) } }
    }

    var names: [String] { steps.withLock { $0 } }
}
