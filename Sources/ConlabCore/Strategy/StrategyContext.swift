#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What the runner hands a strategy when it opens a session: the caller's limits and knobs,
/// so strategies never invent their own.
public struct StrategyContext: Sendable {
    /// The scenario's random seed, for strategies that need deterministic choices of their own.
    public var seed: UInt64
    /// The number of CPU cores the machine offers.
    public var cores: Int
    /// The work the session will run.
    public var plan: WorkPlan
    /// The `conlab` executable that worker processes run (`conlab worker`); by default this process's own.
    public var workerExecutable: String
    /// What the session's waits are performed with: the timer of modelled waits, and the services (a child
    /// reactor) external waits need. Pass it to every driver (``WorkUnit/runSuspending(using:)``, ...).
    public var services: WaitServices

    /// Creates a context.
    public init(
        seed: UInt64,
        cores: Int,
        plan: WorkPlan = WorkPlan(phases: 1, largestPhase: 1),
        workerExecutable: String = Self.currentExecutable,
        services: WaitServices
    ) {
        self.seed = seed
        self.cores = cores
        self.plan = plan
        self.workerExecutable = workerExecutable
        self.services = services
    }

    /// The path of the running executable (`/proc/self/exe`), so a strategy can start more of itself.
    public static var currentExecutable: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
