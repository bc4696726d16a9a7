public import ConlabCore
public import ConlabScenario

extension SyscallWorkload: ScenarioWorkload {
    /// `syscall`.
    public static let kind = "syscall"
    /// Phases of blocking calls.
    public static let traits = WorkloadTraits.phased(SyscallWorkload.self)

    /// Reads `calls` and `timeout`.
    public static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> SyscallWorkload? {
        let calls = mapping.required("calls", form: "how many blocking calls").flatMap {
            reader.integer($0, "workload.calls", in: 1...100_000)
        }
        let timeout = mapping.required("timeout", form: "each call's timeout, e.g. 100ms").flatMap {
            reader.duration($0, "workload.timeout", positive: true)
        }
        guard let calls, let timeout else { return nil }
        return SyscallWorkload(calls: calls, timeout: timeout)
    }

    /// Itself.
    public func runnable(seed: UInt64) -> RunnableWorkload { .phased(self) }

    /// `5 blocking poll(2) calls, 100ms timeout each`.
    public func summary(seed: UInt64) -> String {
        "\(calls) blocking poll(2) calls, \(DurationFormat.short(timeout)) timeout each"
    }
}
