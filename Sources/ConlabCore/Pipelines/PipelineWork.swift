/// A producer/consumer pipeline (item 55): items flow through stages in order, each stage served by its
/// own workers, with queues between the stages.
///
/// Each (stage, item) is a ``WorkUnit`` whose output is the item's value after that stage, so the runner can
/// check that every item left exactly once with the value the stages compute.
public protocol PipelineWork: Sendable {
    /// The unit of one item in one stage.
    associatedtype Unit: WorkUnit where Unit.Output == UInt64

    /// How many items enter the pipeline.
    var itemCount: Int { get }
    /// The stages, in order.
    var stages: [PipelineStage] { get }
    /// The capacity of each stage's input queue; `nil` for unbounded.
    var buffer: Int? { get }
    /// How workers wait for input.
    var discipline: QueueDiscipline { get }

    /// The value of `item` as it enters the first stage.
    func source(item: Int) -> UInt64
    /// The unit that processes `item`, arriving with `input`, in stage `stage`.
    func unit(stage: Int, item: Int, input: UInt64) -> Unit
}

/// One stage of a pipeline.
public struct PipelineStage: Sendable, Hashable, Codable {
    /// Its name, e.g. `download`; also the step its waits are attributed to.
    public var name: String
    /// How many workers serve it.
    public var workers: Int

    /// Creates a stage.
    public init(name: String, workers: Int) {
        self.name = name
        self.workers = workers
    }
}

/// How a pipeline worker waits for its next item.
public enum QueueDiscipline: Sendable, Hashable, Codable {
    /// Blocks until an item arrives (Python's `queue.Queue`).
    case blocking
    /// Checks the queue and sleeps `interval` when it is empty (the seed's `MyQueue` and `Worker`),
    /// counting every check.
    case polling(interval: Duration)
}
