public import ConlabCore
public import ConlabScenario

#if canImport(Glibc)
import ConlabIO
import ConlabToolkit
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Item 53's blocking system calls: `calls` units, each blocking in `poll(2)` on a socket that never
/// becomes readable, until `timeout` passes (the seed's `select` on a fresh socket with a 0.1 s timeout).
public struct SyscallWorkload: PhasedWorkload {
    /// How many system calls.
    public let calls: Int
    /// Each call's timeout.
    public let timeout: Duration

    /// Creates a workload.
    public init(calls: Int, timeout: Duration) {
        self.calls = calls
        self.timeout = timeout
    }

    /// One phase.
    public var phaseCount: Int { 1 }
    /// `batch`.
    public var phaseName: String { "batch" }
    /// Nothing yet.
    public var initialState: [Bool] { [] }

    /// The calls.
    public func batch(phase: Int, from state: [Bool]) -> SyscallBatch {
        SyscallBatch(phase: phase, count: calls, timeout: timeout)
    }

    /// One phase of calls that each wait their timeout in `select`: known without opening a socket.
    public func plannedProfiles(budget: Int) -> PlannedProfiles? {
        PlannedProfiles([PlannedPhase(units: calls, steps: ["select"], waits: .each([timeout]))])
    }

    /// Whether each call saw its socket readable (never, here).
    public func state(after batch: SyscallBatch, outputs: [Bool]) -> [Bool] { outputs }

    /// SHA-256 of the outcomes, one per line.
    public func digest(of state: [Bool]) -> String {
        SHA256.hexDigest(of: state.map { $0 ? "readable\n" : "timeout\n" }.joined())
    }
}

/// The calls of one batch.
public struct SyscallBatch: UnitBatch {
    /// Always 0.
    public let phase: Int
    /// How many calls.
    public let count: Int
    let timeout: Duration

    /// Call `index`.
    public func unit(at index: Int) -> SyscallCall {
        SyscallCall(index: index, timeout: timeout)
    }
}

/// One call: open a UDP socket nobody sends to, wait for it to become readable, close it.
///
/// UDP rather than the seed's unconnected TCP socket: Linux reports an unconnected TCP socket as hung up
/// at once, while an unbound UDP socket stays quiet until the timeout, which is the point of the lesson.
public struct SyscallCall: WorkUnit {
    let index: Int
    let timeout: Duration
    private var descriptor: Int32 = -1

    init(index: Int, timeout: Duration) {
        self.index = index
        self.timeout = timeout
    }

    /// `batch 0, call 2`.
    public var coordinates: UnitCoordinates {
        UnitCoordinates(phase: 0, index: index, phaseName: "batch", name: "call \(index)")
    }

    /// Opens the socket and asks to wait on it; then closes it and reports whether it was readable.
    public mutating func advance() throws -> UnitStep<Bool> {
        if descriptor < 0 {
            descriptor = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else { throw SyscallError(code: errno) }
            return .wait(
                .external(step: "select", job: ExternalJob(ReadableWait(descriptor: descriptor, timeout: timeout)))
            )
        }
        // Readable or not, the socket is done with; a quiet socket is the expected result.
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let readable = poll(&request, 1, 0) > 0
        close(descriptor)
        descriptor = -1
        return .finished(readable)
    }
}

/// A socket could not be opened.
struct SyscallError: Error, CustomStringConvertible {
    let code: Int32
    var description: String { "cannot open a socket: \(String(cString: strerror(code)))" }
}
