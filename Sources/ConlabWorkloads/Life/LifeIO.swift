import ConlabCore
public import ConlabLatency

/// Which steps of a cell's update wait on modelled I/O, and how that I/O behaves.
public struct LifeIO: Sendable, Hashable, Codable {
    /// The steps that wait.
    public var steps: Set<LifeStep>
    /// The model of every waiting step's I/O call.
    public var model: IOModel
    /// The source of every draw.
    public var random: CounterRandom

    /// Creates an I/O description.
    public init(steps: Set<LifeStep>, model: IOModel, random: CounterRandom) {
        self.steps = steps
        self.model = model
        self.random = random
    }

    /// No I/O at all: the plain Game of Life of item 56.
    public static func none(seed: UInt64) -> LifeIO {
        LifeIO(steps: [], model: IOModel(latency: .fixed(.zero)), random: CounterRandom(seed: seed))
    }

    /// The wait of `step` for this cell, if the step waits.
    func wait(_ step: LifeStep, generation: Int, cell: Int) -> Wait? {
        // A linear look at one or two elements: hashing the step cost more than the rest of a wait.
        guard steps.contains(where: { $0 == step }) else { return nil }
        let draw = model.draw(random, UInt64(generation), UInt64(cell), step.drawKey)
        return .io(step: step.rawValue, draw: draw)
    }
}
