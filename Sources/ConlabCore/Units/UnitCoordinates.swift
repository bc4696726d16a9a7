/// Where a unit sits in a workload: its phase, its index in the phase, and a name people read.
public struct UnitCoordinates: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The phase (a Life generation) the unit belongs to, from 0.
    public var phase: Int
    /// The unit's index within its phase, from 0.
    public var index: Int
    /// What a phase is called in this workload, e.g. `generation`.
    public var phaseName: String
    /// The unit's own name, e.g. `cell (0, 3)`.
    public var name: String

    /// Creates coordinates.
    public init(phase: Int, index: Int, phaseName: String, name: String) {
        self.phase = phase
        self.index = index
        self.phaseName = phaseName
        self.name = name
    }

    /// `generation 1, cell (0, 3)`.
    public var description: String { "\(phaseName) \(phase), \(name)" }
}
