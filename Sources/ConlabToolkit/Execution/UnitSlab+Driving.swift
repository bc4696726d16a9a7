public import ConlabCore

/// Driving one slot of a slab through its waits by blocking the calling thread: what
/// ``WorkUnit/runBlocking(using:reportingTo:)`` does for a unit, for a unit that lives in a slab.
///
/// The code that calls it is generic and not compiled for the workload; a unit driven there directly costs
/// a request to the runtime for the metadata of each of its generic types (`UnitStep<Output>`, the result
/// it is stored in) at every step. A slab's own methods are compiled for its units (Life's are), and
/// nothing here is generic over the output: under `thread` at 10,000 cells the requests were 2,300
/// instructions a cell of about 18,000 (callgrind).
extension UnitSlab {
    /// Makes the unit of `slot`, computes it, and blocks the calling thread for each of its waits until it
    /// has its output, which the slab keeps. Other threads may run other slots of the slab at the same time.
    ///
    /// The unit reports its timings to `timings`, the session's ``StrategyContext/unitTimings``; `nil`
    /// reports nothing.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    public func runBlocking(
        slot: Int,
        using services: WaitServices,
        reportingTo timings: (any UnitTimings.Sink)?
    ) throws(UnitFailure) {
        var trace = UnitTrace(timings)
        var next = try trace.step(self, slot: slot, starting: true)
        while let wait = next {
            let waiting = trace.now
            try wait.performBlocking(at: coordinates(of: slot), using: services)
            trace.waited(wait, since: waiting, blocking: true)
            next = try trace.step(self, slot: slot, starting: false)
        }
    }
}
