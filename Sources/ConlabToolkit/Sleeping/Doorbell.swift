import CLinux

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Wakes one sleeping thread from any other thread: an `eventfd` it sleeps on until a deadline.
///
/// An event loop sleeps here until its next timer is due or another thread has news for it (a finished
/// task, a cancellation). Rings before the sleep are not lost: the eventfd counts them until read.
/// A thread that waits on other descriptors too (a reactor's `epoll` or `poll` set) includes
/// ``descriptor`` in its set and calls ``drain()`` when it is readable.
public final class Doorbell: Sendable {
    /// The eventfd (non-blocking, close-on-exec): readable while a ring is unread.
    public let descriptor: Int32

    /// Creates a doorbell; `nil` when the system has no descriptors left.
    public init?() {
        let descriptor = clinux_eventfd()
        guard descriptor >= 0 else { return nil }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }

    /// Wakes the sleeper, or the next one to sleep.
    public func ring() {
        var one: UInt64 = 1
        _ = write(descriptor, &one, MemoryLayout<UInt64>.size)
    }

    /// Sleeps until the doorbell rings or `deadline` passes (`nil`: until it rings) and returns whether
    /// it rang. With `spinning`, wakes ``BlockingSleep/finishMargin`` before `deadline` and spins the
    /// rest, so a deadline is met to within a microsecond or two: for a caller that owns its core (an
    /// event loop thread), not for one that shares the cores with the work it wakes.
    @available(*, noasync, message: "Blocks the calling thread.")
    public func sleep(until deadline: Deadline?, spinning: Bool = true) -> Bool {
        guard let deadline else {
            while clinux_ppoll_readable(descriptor, -1) <= 0 {}
            return drain()
        }
        let wake = spinning ? deadline.nanoseconds - BlockingSleep.finishMarginNanoseconds : deadline.nanoseconds
        // A signal ends ppoll early (EINTR, whatever SA_RESTART says): sleep again for what is left.
        while case let remaining = wake - Deadline.now.nanoseconds, remaining > 0 {
            let ready = clinux_ppoll_readable(descriptor, remaining)
            if ready > 0 { return drain() }
            if ready == 0 { break }
        }
        if drain() { return true }
        if spinning { BlockingSleep.spin(until: deadline) }
        return false
    }

    /// The system has no descriptor left for a doorbell's eventfd.
    public struct Unavailable: Error, CustomStringConvertible {
        /// An unavailable doorbell.
        public init() {}

        /// What failed.
        public var description: String { "cannot create an eventfd: the process is out of descriptors" }
    }

    /// Reads the count the rings left, and whether there was one.
    @discardableResult
    public func drain() -> Bool {
        var count: UInt64 = 0
        return read(descriptor, &count, MemoryLayout<UInt64>.size) == MemoryLayout<UInt64>.size
    }
}
