public import ConlabCore

/// A child job is a wait: its children run while the unit waits, for as long as they take (zero in the
/// ideal floor).
extension ChildJob: ExternalWork {
    /// Starts, feeds and drains the children on the calling thread, waiting for every one.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    public func performBlocking(using services: WaitServices) throws {
        _ = try run()
    }

    /// Hands the job to the run's ``ChildReactor``: one reactor thread waits for every job's children, no
    /// thread per job, no pool thread blocked.
    public func performSuspending(using services: WaitServices) async throws {
        _ = try await services.require(ChildReactor.self).run(self)
    }

    /// The reference starts no child.
    public func performInstantly() {}
}
