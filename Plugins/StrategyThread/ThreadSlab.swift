import ConlabCore
import ConlabToolkit

/// A phase's units in one slab of the batch's (``UnitSlab``): thread *i* makes, steps and finishes slot *i* in
/// place, and keeps its failure, if any, in a slot of its own. The slab and the failures are the only state
/// the threads share.
///
/// Why a slab: this strategy is generic and not compiled for the workload, and a unit it drove itself asked
/// the runtime for the metadata of `UnitStep<Output>` and `Result<Output, UnitFailure>` at every step
/// (``UnitSlab/runBlocking(slot:using:reportingTo:)`` says what that cost).
final class ThreadSlab<Output>: @unchecked Sendable {
    // @unchecked: thread i touches only slot i of the slab and of `failures`, and both are read only after every
    // thread is joined (a slab's distinct slots may be stepped by distinct threads).
    private let slab: any UnitSlab<Output>
    private let failures: UnsafeMutableBufferPointer<UnitFailure?>

    /// Room for `count` units in `slab`, slots `0..<count`.
    init(_ slab: any UnitSlab<Output>, count: Int) {
        self.slab = slab
        failures = .allocate(capacity: count)
        failures.initialize(repeating: nil)
    }

    deinit {
        failures.deinitialize()
        failures.deallocate()
    }

    /// Runs the unit of `slot` to its output on the calling thread, blocking it in every wait; keeps its
    /// failure instead when it fails.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    func run(slot: Int, using services: WaitServices, reportingTo timings: (any UnitTimings.Sink)?) {
        do throws(UnitFailure) {
            try slab.runBlocking(slot: slot, using: services, reportingTo: timings)
        } catch {
            failures[slot] = error
        }
    }

    /// Every output in slot order, or the failure of the first slot that failed. Call once, after the
    /// thread of every slot is joined.
    func outputs() throws(UnitFailure) -> [Output] {
        for case let failure? in failures { throw failure }
        return slab.outputs()
    }
}
