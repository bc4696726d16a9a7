public import ConlabCore

/// A workload that runs as phases of independent units, each phase built from the state the last one left.
///
/// The runner drives it: it asks for a ``UnitBatch`` per phase, has a strategy execute the batch, and
/// folds the outputs into the next state. The same fold on the reference outputs gives the reference
/// states every strategy's states are compared with.
public protocol PhasedWorkload: Sendable {
    /// The state between phases (a Life grid).
    associatedtype State: Sendable, Equatable
    /// The phase's batch of units.
    associatedtype Batch: UnitBatch

    /// How many phases run.
    var phaseCount: Int { get }
    /// What a phase is called, e.g. `generation`.
    var phaseName: String { get }
    /// The state before the first phase.
    var initialState: State { get }

    /// The units of phase `phase`, which starts from `state`.
    func batch(phase: Int, from state: State) -> Batch
    /// The state after `batch`, given its outputs in unit order.
    func state(after batch: Batch, outputs: [Batch.Unit.Output]) -> State
    /// A SHA-256 hex digest of a state, for results and expectations.
    func digest(of state: State) -> String

    /// Figures the workload measures in a final state (item 54's lost updates), by name. Default: none.
    func figures(of state: State) -> [String: Double]

    /// What is wrong with `state`, which differs from the reference's `expected`, in words. Default: none.
    func mismatch(_ state: State, expected: State) -> String?

    /// The phases `conlab explain` reports, described without running the serial reference: exactly as
    /// the reference would record them where that is known in closed form (waits that are all alike), and
    /// otherwise — only when running the reference would compute more than `budget` units and waits — as
    /// an expectation or unknown, never a false figure. `nil`: the reference is cheap enough to run.
    ///
    /// A workload whose reference can cost more than the budget (long computations, many draws, large
    /// inputs) must answer, so that `explain` answers at once for every valid scenario. Default: `nil`.
    func plannedProfiles(budget: Int) -> PlannedProfiles?

    /// What its units start in child processes, per phase at most, known from the workload as written, so
    /// that a plan over the machine's limits is refused before anything starts. Default: none.
    var childDemand: ChildDemand { get }
}

extension PhasedWorkload {
    /// No figures.
    public func figures(of state: State) -> [String: Double] { [:] }

    /// No words beyond "differs from the serial reference".
    public func mismatch(_ state: State, expected: State) -> String? { nil }

    /// The reference is run.
    public func plannedProfiles(budget: Int) -> PlannedProfiles? { nil }

    /// No child processes.
    public var childDemand: ChildDemand { .none }
}
