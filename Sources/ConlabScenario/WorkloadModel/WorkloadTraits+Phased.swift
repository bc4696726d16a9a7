public import ConlabCore

/// The traits of phased workloads, which the workload model defines.
extension WorkloadTraits {
    /// The traits of a phased workload type, read from its batch type: portable when the batch is a
    /// ``PortableBatch``, so the answer cannot drift from what a worker process can decode.
    public static func phased<Workload: PhasedWorkload>(_ workload: Workload.Type) -> WorkloadTraits {
        WorkloadTraits(shape: .phased, isPortable: Workload.Batch.self is any PortableBatch.Type)
    }
}
