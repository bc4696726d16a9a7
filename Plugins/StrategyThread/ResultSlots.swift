import ConlabCore

/// One result slot per unit, each written by its own thread and read after every thread is joined.
///
/// The seed's `LockingGrid` puts one lock around the whole grid. Here 10,000 threads end their waits in
/// the same millisecond, and one lock had them queue (a fifth of a generation's time under `perf`); a
/// slot that only its own thread writes needs no lock, and `pthread_join` orders the writes before the
/// reads.
final class ResultSlots<Output>: @unchecked Sendable {
    // @unchecked: slot i is written only by unit i's thread, and read only after that thread is joined.
    private let slots: UnsafeMutableBufferPointer<Result<Output, UnitFailure>?>

    /// `count` empty slots.
    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: nil)
    }

    /// Stores unit `index`'s result; called once, by the unit's own thread.
    func store(_ result: Result<Output, UnitFailure>, at index: Int) {
        slots[index] = result
    }

    /// The results in unit order; read only after every writing thread has been joined.
    var collected: [Result<Output, UnitFailure>?] { Array(slots) }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }
}
