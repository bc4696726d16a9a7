#if canImport(Glibc)
import ConlabCore
import ConlabToolkit
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Waiting in the kernel for a descriptor to become readable: `poll(2)`, the system call the seed's
/// `select.select([sock], [], [], 0.1)` makes.
public enum ReadinessWait {
    /// Blocks until `descriptor` is readable or `timeout` has passed; `true` when it became readable.
    ///
    /// An `interruptible` wait also ends, `false`, when the process is interrupted (``WaitInterruption``):
    /// for waits that units make, not for a server's accept loop.
    @available(*, noasync, message: "Blocks the calling thread in poll(2).")
    public static func poll(_ descriptor: Int32, timeout: Duration, interruptible: Bool = false) -> Bool {
        guard interruptible else { return poll(descriptor, timeout: timeout) { true } }
        return WaitInterruption.whileWaiting { poll(descriptor, timeout: timeout) { !WaitInterruption.isRaised } }
    }

    /// `poll(2)` until readable or `timeout`, calling it again after `EINTR` only while `goOn()` says so.
    private static func poll(_ descriptor: Int32, timeout: Duration, while goOn: () -> Bool) -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while goOn() {
            let remaining = deadline - clock.now
            let milliseconds = max(0, Int32(min((remaining.inSeconds * 1000).rounded(.up), Double(Int32.max))))
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = Glibc.poll(&request, 1, milliseconds)
            if ready > 0 { return true }
            if ready == 0 && clock.now >= deadline { return false }
            if ready < 0 && errno != EINTR { return false }
        }
        return false
    }
}
