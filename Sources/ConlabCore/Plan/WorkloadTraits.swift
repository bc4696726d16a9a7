/// What a workload asks of the strategy that runs it: the shape of its work, and whether its units can be
/// sent to another process.
///
/// Strategies declare what they run (``Strategy/supportedShapes``, ``Strategy/runsUnitsElsewhere``);
/// ``Strategy/refusal(of:kind:)`` turns those declarations and a workload's traits into the one answer that
/// `validate`, `run`, `explain` and `strategies` all give.
public struct WorkloadTraits: Sendable, Hashable {
    /// Phases of units, or a pipeline.
    public var shape: WorkloadShape
    /// Whether its units can be encoded and run by another process (``PortableBatch``, ``PortablePipeline``).
    public var isPortable: Bool

    /// Creates traits.
    public init(shape: WorkloadShape, isPortable: Bool) {
        self.shape = shape
        self.isPortable = isPortable
    }

    /// The traits of a pipeline type: portable when it is a ``PortablePipeline``.
    public static func pipeline<Work: PipelineWork>(_ work: Work.Type) -> WorkloadTraits {
        WorkloadTraits(shape: .pipeline, isPortable: Work.self is any PortablePipeline.Type)
    }
}
