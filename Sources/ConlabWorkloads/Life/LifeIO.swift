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

    /// What a step waits for every cell of a generation.
    enum StepWait {
        /// The step does not wait.
        case none
        /// Every cell waits the same: a fixed latency that neither fails nor times out. Its draw would not
        /// read the counter, so the cell's draw is this one without the hashing.
        case same(Wait)
        /// Each cell's wait is drawn from its own counter.
        case drawn
    }

    /// What `step` waits for every cell.
    func stepWait(_ step: LifeStep) -> StepWait {
        guard steps.contains(step) else { return .none }
        // A fixed model's sample is the same at every quantile (capped and never negative, as every draw).
        let latency = model.latency.sample(0)
        guard case .fixed = model.latency, model.failureRate == 0, model.timeout.map({ latency <= $0 }) ?? true
        else { return .drawn }
        return .same(.io(step: step.rawValue, draw: IODraw(latency: latency, duration: latency, outcome: .completed)))
    }

    /// The wait of `step` for this cell, if the step waits.
    func wait(_ step: LifeStep, generation: Int, cell: Int) -> Wait? {
        // A linear look at one or two elements: hashing the step cost more than the rest of a wait.
        guard steps.contains(where: { $0 == step }) else { return nil }
        let draw = model.draw(random, UInt64(generation), UInt64(cell), step.drawKey)
        return .io(step: step.rawValue, draw: draw)
    }
}
