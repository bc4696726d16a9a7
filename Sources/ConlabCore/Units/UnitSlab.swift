/// A share of a batch's units — slots `0..<count` for the batch's units `first..<first + count` — made,
/// stepped and finished in place, by code compiled for the batch's own unit type.
///
/// An event loop steps millions of units, and its driver is generic: without a slab every copy, step and
/// output of a unit goes through the unit type's metadata at run time. A batch hands out a slab
/// (``UnitBatch/slab(first:count:)``); the default, ``BatchSlab``, is that same generic code, and a batch
/// whose units are worth it returns a small final class of its own around ``SlabStorage``, whose inlinable
/// methods are then compiled for its unit type (Life's generation does). The driver calls the slab once per
/// start and once per resumption.
///
/// A slot is stepped by one thread at a time. Distinct slots may be stepped by distinct threads at once (the
/// `thread` strategy runs a slot per thread): a slot's unit, output and state are its own memory, and the
/// batch a slab makes units from is `Sendable`. ``outputs()`` is read after every slot's thread has ended.
public protocol UnitSlab<Output>: AnyObject {
    /// The units' output.
    associatedtype Output

    /// Makes the unit of `slot` and computes it up to its first wait, returned; `nil` when it finished
    /// without waiting (its output is kept). Each slot is made once, in any order.
    func start(_ slot: Int) throws(UnitFailure) -> Wait?

    /// Computes the unit of `slot`, made and waiting, up to its next wait, returned; `nil` when it finished
    /// (its output is kept).
    func resume(_ slot: Int) throws(UnitFailure) -> Wait?

    /// The coordinates of the unit of `slot`, made.
    func coordinates(of slot: Int) -> UnitCoordinates

    /// Every output in slot order; call once, when every unit has finished.
    func outputs() -> [Output]
}

/// The units and outputs of a slab, in plain buffers: the storage a ``UnitSlab`` keeps, with inlinable
/// steps, so that a slab class written for one batch type gets them compiled for that type.
///
/// Not copyable: a copy would retain the batch on every call (callgrind counted such copies at four percent of
/// a loop's instructions), and the buffers have one owner, which frees them when it ends.
public struct SlabStorage<Batch: UnitBatch>: ~Copyable, Sendable {
    @usableFromInline let batch: Batch
    @usableFromInline let first: Int
    @usableFromInline let count: Int
    // Sendable: each slot is stepped by one thread at a time, and a slot's place in these buffers is its own.
    @usableFromInline nonisolated(unsafe) let units: UnsafeMutablePointer<Batch.Unit>
    @usableFromInline nonisolated(unsafe) let results: UnsafeMutablePointer<Batch.Unit.Output>
    /// Per slot, what is initialised: ``unmade``, ``made`` (the unit) or ``finished`` (the unit and its output).
    /// A state per slot rather than a count of slots made, so that slots may be made in any order (by tasks of
    /// their own, which start in whatever order they are run).
    @usableFromInline nonisolated(unsafe) let states: UnsafeMutablePointer<UInt8>
    @usableFromInline static var unmade: UInt8 { 0 }
    @usableFromInline static var made: UInt8 { 1 }
    @usableFromInline static var finished: UInt8 { 2 }

    /// Room for `count` units of `batch`, from its unit `first`.
    public init(batch: Batch, first: Int, count: Int) {
        self.batch = batch
        self.first = first
        self.count = count
        units = .allocate(capacity: count)
        results = .allocate(capacity: count)
        states = .allocate(capacity: count)
        states.initialize(repeating: Self.unmade, count: count)
    }

    /// ``UnitSlab/start(_:)``.
    @inlinable
    public func start(_ slot: Int) throws(UnitFailure) -> Wait? {
        (units + slot).initialize(to: batch.unit(at: first + slot))
        states[slot] = Self.made
        return try resume(slot)
    }

    /// ``UnitSlab/resume(_:)``.
    @inlinable
    public func resume(_ slot: Int) throws(UnitFailure) -> Wait? {
        switch try units[slot].step() {
        case .wait(let wait):
            return wait
        case .finished(let output):
            (results + slot).initialize(to: output)
            states[slot] = Self.finished
            return nil
        }
    }

    /// ``UnitSlab/coordinates(of:)``.
    @inlinable
    public func coordinates(of slot: Int) -> UnitCoordinates { units[slot].coordinates }

    /// ``UnitSlab/outputs()``.
    @inlinable
    public func outputs() -> [Batch.Unit.Output] { Array(UnsafeBufferPointer(start: results, count: count)) }

    /// Ends every unit made and every output kept, and frees the buffers.
    ///
    /// A deinit is not compiled for the batch's types, so each `deinitialize` looks up their metadata and
    /// destroys through it: one call per run of slots in the same state, not one per slot, which cost 209
    /// instructions a Life cell under `loop` (16 % of a loop thread's, callgrind) when every slot was its own run.
    deinit {
        var start = 0
        while start < count {
            let state = states[start]
            var end = start + 1
            while end < count && states[end] == state { end += 1 }
            if state != Self.unmade { (units + start).deinitialize(count: end - start) }
            if state == Self.finished { (results + start).deinitialize(count: end - start) }
            start = end
        }
        units.deallocate()
        results.deallocate()
        states.deallocate()
    }
}

/// The generic slab, for any batch: what a batch hands out unless it has a slab of its own.
public final class BatchSlab<Batch: UnitBatch>: UnitSlab {
    private let storage: SlabStorage<Batch>

    /// Room for `count` units of `batch`, from its unit `first`.
    public init(batch: Batch, first: Int, count: Int) {
        storage = SlabStorage(batch: batch, first: first, count: count)
    }

    /// ``UnitSlab/start(_:)``.
    public func start(_ slot: Int) throws(UnitFailure) -> Wait? { try storage.start(slot) }
    /// ``UnitSlab/resume(_:)``.
    public func resume(_ slot: Int) throws(UnitFailure) -> Wait? { try storage.resume(slot) }
    /// ``UnitSlab/coordinates(of:)``.
    public func coordinates(of slot: Int) -> UnitCoordinates { storage.coordinates(of: slot) }
    /// ``UnitSlab/outputs()``.
    public func outputs() -> [Batch.Unit.Output] { storage.outputs() }
}
