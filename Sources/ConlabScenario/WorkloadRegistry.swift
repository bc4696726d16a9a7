public import ConlabCore

/// The workload kinds scenario files may use, by kind: built once in `main` from one explicit list and passed
/// down, like ``StrategyRegistry``.
public struct WorkloadRegistry: Sendable {
    /// The kinds, in listing order (the order messages and `conlab strategies` list them in).
    public let workloads: [any ScenarioWorkload.Type]

    /// Creates a registry. Kinds, batch kinds and pipeline kinds must be unique.
    public init(_ workloads: [any ScenarioWorkload.Type]) {
        var kinds: Set<String> = []
        var portable: Set<String> = []
        for workload in workloads {
            precondition(kinds.insert(workload.kind).inserted, "workload kind '\(workload.kind)' is registered twice")
            for name in workload.portableBatches.map({ $0.batchKind })
                + workload.portablePipelines.map({ $0.pipelineKind })
            {
                precondition(portable.insert(name).inserted, "portable kind '\(name)' is registered twice")
            }
        }
        self.workloads = workloads
    }

    /// The workload kind written `kind`.
    public func workload(kind: String) -> (any ScenarioWorkload.Type)? {
        workloads.first { $0.kind == kind }
    }

    /// Every kind, in listing order.
    public var kinds: [String] { workloads.map { $0.kind } }

    /// The batch type a worker process decodes for `batchKind`.
    public func portableBatch(kind batchKind: String) -> (any PortableBatch.Type)? {
        for workload in workloads {
            if let type = workload.portableBatches.first(where: { $0.batchKind == batchKind }) { return type }
        }
        return nil
    }

    /// The pipeline type a worker process decodes for `pipelineKind`.
    public func portablePipeline(kind pipelineKind: String) -> (any PortablePipeline.Type)? {
        for workload in workloads {
            if let type = workload.portablePipelines.first(where: { $0.pipelineKind == pipelineKind }) {
                return type
            }
        }
        return nil
    }
}
