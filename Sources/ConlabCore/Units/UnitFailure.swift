/// A unit that failed, with the coordinates the seed's `SimulationError(y, x)` carries, and more.
public struct UnitFailure: Error, Sendable, Hashable, Codable, CustomStringConvertible {
    /// Why a unit failed.
    public enum Reason: Sendable, Hashable, Codable {
        /// A modelled I/O call failed.
        case ioFailed
        /// A modelled I/O call hit its timeout after the given wait.
        case timedOut(Duration)
        /// The unit's own computation threw; the message says what.
        case error(String)
    }

    /// The unit that failed.
    public var coordinates: UnitCoordinates
    /// The step that failed, e.g. `game_logic`, when known.
    public var step: String?
    /// Why it failed.
    public var reason: Reason

    /// Creates a failure.
    public init(coordinates: UnitCoordinates, step: String?, reason: Reason) {
        self.coordinates = coordinates
        self.step = step
        self.reason = reason
    }

    /// What went wrong, without the coordinates: `I/O in game_logic failed`.
    public var problem: String {
        let place = step.map { " in \($0)" } ?? ""
        switch reason {
        case .ioFailed: return "I/O\(place) failed"
        case .timedOut(let after): return "I/O\(place) timed out after \(DurationFormat.short(after))"
        case .error(let message): return "error\(place): \(message)"
        }
    }

    /// `generation 1, cell (0, 3): I/O in game_logic failed`.
    public var description: String { "\(coordinates): \(problem)" }
}
