/// A wait a unit asks for. How it is waited depends on the strategy: see ``WorkUnit``.
///
/// Two kinds: modelled I/O, the common case, a wait on the run's ``WaitTimer`` and then the drawn
/// outcome (performed by ConlabToolkit's drivers); and ``ExternalWork``, the open kind, for everything
/// else (child processes, a blocking `poll`, a conversation over sockets), implemented outside the
/// contract with the services the runner injects (``WaitServices``).
public enum Wait: Sendable, Hashable {
    /// A modelled I/O call in the named step: a real wait of `draw.duration`, then its outcome.
    case io(step: String, draw: IODraw)
    /// Work outside the unit — child processes, a blocking system call, sockets, an actor, a tailed file —
    /// that the unit waits for. It counts as ``ExternalWork/duration`` in the ideal floor.
    case external(step: String, job: ExternalJob)

    /// The step the wait belongs to, e.g. `game_logic`: queue strategies give each step its own workers.
    public var step: String {
        switch self {
        case .io(let step, _): step
        case .external(let step, _): step
        }
    }

    /// How long the wait lasts.
    public var duration: Duration {
        switch self {
        case .io(_, let draw): draw.duration
        case .external(_, let job): job.work.duration
        }
    }

    /// The failure this wait ends in, if any, as the unit at `coordinates` would report it.
    /// The coordinates are asked for only when the wait fails: a unit's name is text built on demand, and a
    /// reference of ten million cells built it for every wait.
    public func failure(at coordinates: @autoclosure () -> UnitCoordinates) -> UnitFailure? {
        switch self {
        case .io(let step, let draw):
            switch draw.outcome {
            case .completed: nil
            case .failed: UnitFailure(coordinates: coordinates(), step: step, reason: .ioFailed)
            case .timedOut: UnitFailure(coordinates: coordinates(), step: step, reason: .timedOut(draw.duration))
            }
        case .external:
            nil
        }
    }
}
