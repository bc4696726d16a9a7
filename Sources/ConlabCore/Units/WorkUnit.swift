/// One unit of work: a small state machine that computes, asks to wait, and finally produces an output.
///
/// A unit never waits by itself. ``advance()`` does the unit's computation up to its next wait and
/// returns that wait (``UnitStep/wait(_:)``), or returns its output when done. The strategy decides how
/// each wait happens — a blocked OS thread or a suspended task (the drivers `runBlocking(using:reportingTo:)`
/// and `runSuspending(using:reportingTo:)` in ConlabToolkit), or, for the reference, not at all
/// (``runInstantly()``) — so every strategy executes exactly the same
/// work, and a strategy may even hand the remaining steps of a unit to another stage of workers.
///
/// Contract:
/// - `advance()` is called once to start and once after each wait it returned, until it returns
///   ``UnitStep/finished(_:)``. It does not block and does not sleep.
/// - Everything a unit draws at random comes from its coordinates and the scenario seed
///   (`CounterRandom` in ConlabLatency), so the same unit behaves identically in any thread, task or process.
public protocol WorkUnit: Sendable {
    /// What the unit produces; compared with the reference output.
    associatedtype Output: Sendable, Codable, Equatable

    /// Where the unit sits, for errors and logs.
    var coordinates: UnitCoordinates { get }

    /// Computes up to the next wait, or to the output.
    mutating func advance() throws -> UnitStep<Output>
}

/// What a unit asks for next.
public enum UnitStep<Output: Sendable>: Sendable {
    /// Wait, then call ``WorkUnit/advance()`` again.
    case wait(Wait)
    /// The unit is done.
    case finished(Output)
}
