public import ConlabCore
public import ConlabScenario

/// The serial reference: every phase computed in unit order without waiting, recording what each unit
/// would have waited. Strategies' states are compared with ``states``; ideal floors come from ``profiles``.
public struct ReferenceRun<Workload: PhasedWorkload>: Sendable {
    /// The initial state, then the state after each completed phase.
    public private(set) var states: [Workload.State]
    /// Per completed (or failed) phase, what every unit waits, step by step.
    public private(set) var profiles: [PhaseProfile]
    /// The first unit, in serial order, whose I/O fails; `nil` when every unit succeeds.
    public private(set) var failure: UnitFailure?

    /// Computes the reference of `workload`.
    public init(_ workload: Workload) {
        states = [workload.initialState]
        profiles = []
        failure = nil
        for phase in 0..<workload.phaseCount {
            let batch = workload.batch(phase: phase, from: states[phase])
            var outputs: [Workload.Batch.Unit.Output] = []
            outputs.reserveCapacity(batch.count)
            var profile = PhaseProfile()
            for index in 0..<batch.count {
                profile.startUnit()
                let result = batch.unit(at: index).runInstantly { profile.record(step: $0.step, duration: $0.duration) }
                switch result {
                case .success(let output): outputs.append(output)
                case .failure(let unitFailure): failure = failure ?? unitFailure
                }
            }
            profile.finish()
            profiles.append(profile)
            if failure != nil { return }
            states.append(workload.state(after: batch, outputs: outputs))
        }
    }
}
