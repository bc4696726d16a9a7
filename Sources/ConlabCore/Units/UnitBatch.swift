/// The units of one fan-out/fan-in phase, made on demand so a million-unit phase costs no array of units.
///
/// Contract: `unit(at:)` is pure — any thread may call it for any index in `0..<count`, in any order,
/// any number of times, and gets an equal unit each time.
public protocol UnitBatch: Sendable {
    /// The units' type.
    associatedtype Unit: WorkUnit

    /// The phase these units belong to, from 0.
    var phase: Int { get }
    /// How many units the phase has.
    var count: Int { get }

    /// The unit at `index`.
    func unit(at index: Int) -> Unit

    /// The units `first..<first + count`, to be stepped in place by one thread at a time (an event loop's
    /// share, a timer shard's tasks under `async`, a chunk of the serial reference).
    /// Default: a ``BatchSlab``; a batch may return a slab compiled for its unit type (see ``UnitSlab``).
    func slab(first: Int, count: Int) -> any UnitSlab<Unit.Output>
}

extension UnitBatch {
    /// A ``BatchSlab``.
    public func slab(first: Int, count: Int) -> any UnitSlab<Unit.Output> {
        BatchSlab(batch: self, first: first, count: count)
    }
}
