public import ConlabCore
public import ConlabScenario

/// The serial reference: every phase computed in unit order without waiting, recording what each unit
/// would have waited. Strategies' states are checked against it (``matches(_:afterPhase:)``); ideal floors
/// come from ``profiles``.
///
/// A large reference keeps digests, not states: ten million cells a generation are ten megabytes a state,
/// and every state after the first is only ever compared. So while a run's units over all phases stay within
/// a budget (sixteen million by default, 16 MB of Life's grids), every state is kept; past it only the
/// initial one is, and each later state is known by its digest (``PhasedWorkload/digest(of:)``).
public struct ReferenceRun<Workload: PhasedWorkload>: Sendable {
    /// The states kept: the initial state, then the state after each completed phase when ``keepsEveryState``;
    /// the initial state alone otherwise.
    public private(set) var states: [Workload.State]
    /// When ``keepsEveryState`` is false, the digest of the initial state and of the state after each
    /// completed phase; empty otherwise.
    public private(set) var digests: [String]
    /// Whether ``states`` holds every state, or only the first.
    public let keepsEveryState: Bool
    /// Per completed (or failed) phase, what every unit waits, step by step.
    public private(set) var profiles: [PhaseProfile]
    /// The first unit, in serial order, whose I/O fails; `nil` when every unit succeeds.
    public private(set) var failure: UnitFailure?

    /// Computes the reference of `workload`, keeping every state while its phases' units number at most
    /// `stateBudget` (`nil`: sixteen million).
    public init(_ workload: Workload, stateBudget: Int? = nil) {
        let stateBudget = stateBudget ?? 1 << 24
        let first = workload.phaseCount > 0 ? workload.batch(phase: 0, from: workload.initialState).count : 0
        keepsEveryState = first.multipliedReportingOverflow(by: workload.phaseCount).partialValue <= stateBudget
        states = [workload.initialState]
        digests = keepsEveryState ? [] : [workload.digest(of: workload.initialState)]
        profiles = []
        failure = nil
        var state = workload.initialState
        for phase in 0..<workload.phaseCount {
            let batch = workload.batch(phase: phase, from: state)
            let (outputs, profile, failure) = Self.run(batch)
            profiles.append(profile)
            if let failure {
                self.failure = failure
                break
            }
            state = workload.state(after: batch, outputs: outputs)
            if keepsEveryState {
                states.append(state)
            } else {
                digests.append(workload.digest(of: state))
            }
        }
    }

    /// How many states the reference computed: the initial one and one per completed phase.
    public var stateCount: Int { keepsEveryState ? states.count : digests.count }

    /// The digest of the last state computed (the final one when every phase completed).
    public func finalDigest(of workload: Workload) -> String? {
        keepsEveryState ? states.last.map(workload.digest) : digests.last
    }

    /// Whether `state` is the reference's state after `phase`.
    public func matches(_ state: Workload.State, afterPhase phase: Int, of workload: Workload) -> Bool {
        guard phase + 1 < stateCount else { return false }
        return keepsEveryState ? state == states[phase + 1] : workload.digest(of: state) == digests[phase + 1]
    }

    /// The reference's state after `phase`, to describe a mismatch with: the one kept, or, when only its digest
    /// was, computed again from `batch` (that phase's units, made from the reference's state before it).
    /// `nil` when the reference did not get past `phase`.
    public func state(afterPhase phase: Int, batch: Workload.Batch, of workload: Workload) -> Workload.State? {
        guard phase + 1 < stateCount else { return nil }
        if keepsEveryState { return states[phase + 1] }
        let (outputs, _, failure) = Self.run(batch)
        return failure == nil ? workload.state(after: batch, outputs: outputs) : nil
    }

    /// Runs `batch`'s units in order without waiting, as ``WorkUnit/runInstantly(recording:)`` does: their
    /// outputs, what they waited, and the first failure. The units are stepped through slabs of the batch
    /// (``UnitBatch/slab(first:count:)``), so that a batch with a slab of its own is run by code compiled for
    /// its units, a chunk at a time.
    private static func run(
        _ batch: Workload.Batch
    ) -> ([Workload.Batch.Unit.Output], PhaseProfile, UnitFailure?) {
        var outputs: [Workload.Batch.Unit.Output] = []
        outputs.reserveCapacity(batch.count)
        var profile = PhaseProfile()
        var failure: UnitFailure?
        let chunk = 1 << 16
        for first in stride(from: 0, to: batch.count, by: chunk) {
            let count = min(chunk, batch.count - first)
            let slab = batch.slab(first: first, count: count)
            for slot in 0..<count {
                profile.startUnit()
                do throws(UnitFailure) {
                    var next = try slab.start(slot)
                    while let wait = next {
                        profile.record(step: wait.step, duration: wait.duration)
                        if case .external(_, let job) = wait { job.work.performInstantly() }
                        if let unitFailure = wait.failure(at: slab.coordinates(of: slot)) { throw unitFailure }
                        next = try slab.resume(slot)
                    }
                } catch {
                    failure = failure ?? error
                }
            }
            // Without a failure so far every unit finished and has its output; a failed phase's are not used.
            if failure == nil { outputs += slab.outputs() }
        }
        profile.finish()
        return (outputs, profile, failure)
    }
}
