public import ConlabCore
public import ConlabLatency

/// Item 55's pipeline: items pass through stages (download → resize → upload in the seed), each stage
/// waiting on modelled I/O and/or burning CPU for every item.
public struct PipelineWorkload: PortablePipeline {
    /// `pipeline`.
    public static let pipelineKind = "pipeline"

    /// What one stage does to every item.
    public struct StageWork: Sendable, Hashable, Codable {
        /// The stage's name and workers.
        public var stage: PipelineStage
        /// The I/O each item waits for in this stage, if any.
        public var io: IOModel?
        /// CPU time each item burns in this stage (a real busy loop).
        public var cpu: Duration

        /// Creates a stage.
        public init(stage: PipelineStage, io: IOModel?, cpu: Duration = .zero) {
            self.stage = stage
            self.io = io
            self.cpu = cpu
        }
    }

    /// How many items enter.
    public let itemCount: Int
    /// The stages' work.
    public let work: [StageWork]
    /// Each stage's input queue capacity; `nil` for unbounded.
    public let buffer: Int?
    /// How workers wait for input.
    public let discipline: QueueDiscipline
    /// The source of every draw.
    public let random: CounterRandom

    /// Creates a pipeline.
    public init(itemCount: Int, work: [StageWork], buffer: Int?, discipline: QueueDiscipline, random: CounterRandom) {
        self.itemCount = itemCount
        self.work = work
        self.buffer = buffer
        self.discipline = discipline
        self.random = random
    }

    /// The stages.
    public var stages: [PipelineStage] { work.map(\.stage) }

    /// Every item enters with a value drawn from the seed, so a lost or duplicated item shows in the output.
    public func source(item: Int) -> UInt64 {
        random.bits(0x50C7CE, UInt64(item))
    }

    /// The unit for `item` in `stage`.
    public func unit(stage: Int, item: Int, input: UInt64) -> PipelineItem {
        PipelineItem(stage: stage, item: item, input: input, work: work[stage], random: random)
    }

    /// Whether every stage has one worker, so items must leave in the order they entered.
    public var keepsOrder: Bool { work.allSatisfy { $0.stage.workers == 1 } }
}

/// One item in one stage: waits for the stage's I/O, burns its CPU, and transforms the item's value.
public struct PipelineItem: WorkUnit {
    let stage: Int
    let item: Int
    let input: UInt64
    let work: PipelineWorkload.StageWork
    let random: CounterRandom
    private var waited = false

    init(stage: Int, item: Int, input: UInt64, work: PipelineWorkload.StageWork, random: CounterRandom) {
        self.stage = stage
        self.item = item
        self.input = input
        self.work = work
        self.random = random
    }

    /// `stage download, item 12`.
    public var coordinates: UnitCoordinates {
        UnitCoordinates(
            phase: stage,
            index: item,
            phaseName: "stage \(work.stage.name) (\(stage))",
            name: "item \(item)"
        )
    }

    /// Waits for the stage's I/O first, then computes.
    public mutating func advance() -> UnitStep<UInt64> {
        if !waited, let io = work.io {
            waited = true
            return .wait(.io(step: work.stage.name, draw: io.draw(random, 0x51A6E + UInt64(stage), UInt64(item), 0)))
        }
        if work.cpu > .zero { Self.burn(work.cpu, seed: input) }
        return .finished(Self.transform(input, stage: stage))
    }

    /// The stage's transformation of a value: a strong mix, so any mistake shows in the output digest.
    static func transform(_ value: UInt64, stage: Int) -> UInt64 {
        CounterRandom(seed: value).bits(UInt64(stage))
    }

    /// Busy CPU work for `duration`: real computation, not a sleep.
    private static func burn(_ duration: Duration, seed: UInt64) {
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        var value = seed
        repeat {
            for _ in 0..<256 { value = value &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407 }
        } while clock.now < deadline
        // Keeps the loop from being optimised away.
        if value == 0x5EED { print("", terminator: "") }
    }
}
