/// What travels through a pipeline's queues: an item, or the sentinel that stops one worker
/// (the seed's `SENTINEL`, one per worker).
public enum PipelineEnvelope: Sendable {
    /// An item with its current value and the instant it entered the pipeline.
    case item(index: Int, value: UInt64, entered: ContinuousClock.Instant)
    /// Stop: the worker that takes it exits.
    case stop
}
