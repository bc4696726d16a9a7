public import ConlabCore
import ConlabToolkit

/// A real blocking system call as a wait: until `descriptor` is readable or `timeout` passes (`poll(2)`,
/// the seed's `select`). Timing out is its normal end, not a failure; the timeout counts in the ideal floor.
public final class ReadableWait: ExternalWork {
    /// The descriptor waited on.
    public let descriptor: Int32
    /// How long the call may block.
    public let timeout: Duration

    /// A wait on `descriptor` of at most `timeout`.
    public init(descriptor: Int32, timeout: Duration) {
        self.descriptor = descriptor
        self.timeout = timeout
    }

    /// The timeout: the call blocks that long when nothing arrives.
    public var duration: Duration { timeout }

    /// Polls on the calling thread; a poll cut short by ``WaitInterruption`` throws ``Interrupted``.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    public func performBlocking(using services: WaitServices) throws {
        let readable = ReadinessWait.poll(descriptor, timeout: timeout, interruptible: true)
        if !readable && WaitInterruption.isRaised { throw Interrupted() }
    }

    /// Polls on a thread of its own: a blocking system call has no suspending form, and it must never
    /// run on a thread of the cooperative pool.
    public func performSuspending(using services: WaitServices) async throws {
        _ = try await OSThread.run(name: "conlab-syscall", stackSize: 64 * 1024) { [descriptor, timeout] _ in
            ReadinessWait.poll(descriptor, timeout: timeout)
        }
    }

    /// The reference makes no call.
    public func performInstantly() {}

    /// The process was interrupted during the poll: the unit did not finish.
    public struct Interrupted: Error, CustomStringConvertible {
        /// `interrupted`, the failure's message.
        public var description: String { "interrupted" }
    }
}
