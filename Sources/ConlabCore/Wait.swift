/// A wait a unit asks for. How it is waited depends on the strategy: see ``WorkUnit``.
public enum Wait: Sendable, Hashable {
    /// A modelled I/O call in the named step: a real wait of `draw.duration`, then its outcome.
    case io(step: String, draw: IODraw)
    /// A real blocking system call: wait until `descriptor` is readable or `timeout` passes (`poll(2)`,
    /// the seed's `select`). Timing out is its normal end, not a failure.
    case readable(step: String, descriptor: Int32, timeout: Duration)
    /// Real child processes: start the job, feed and drain it, wait for every child (item 52). How long it
    /// takes is up to the children, so it counts as zero in the ideal floor.
    case children(step: String, job: ChildJob)
    /// Work outside the unit — sockets, an actor, a tailed file — that the unit waits for. Its duration
    /// is up to the world outside, so it counts as zero in the ideal floor.
    case external(step: String, job: ExternalJob)

    /// The step the wait belongs to, e.g. `game_logic`: queue strategies give each step its own workers.
    public var step: String {
        switch self {
        case .io(let step, _): step
        case .readable(let step, _, _): step
        case .children(let step, _): step
        case .external(let step, _): step
        }
    }

    /// How long the wait lasts.
    public var duration: Duration {
        switch self {
        case .io(_, let draw): draw.duration
        case .readable(_, _, let timeout): timeout
        case .children, .external: .zero
        }
    }

    /// The failure this wait ends in, if any, as the unit at `coordinates` would report it.
    public func failure(at coordinates: UnitCoordinates) -> UnitFailure? {
        switch self {
        case .io(let step, let draw):
            switch draw.outcome {
            case .completed: nil
            case .failed: UnitFailure(coordinates: coordinates, step: step, reason: .ioFailed)
            case .timedOut: UnitFailure(coordinates: coordinates, step: step, reason: .timedOut(draw.duration))
            }
        case .readable, .children, .external:
            nil
        }
    }
}
