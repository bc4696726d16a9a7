#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A counting semaphore on which threads block in the kernel (POSIX `sem_t`, a futex on Linux).
///
/// The standard library's `Synchronization` has locks but no way to sleep until signalled; this is the
/// one blocking primitive conlab's thread strategies build on.
public final class Semaphore: @unchecked Sendable {
    // @unchecked: sem_t lives at a fixed heap address for the object's lifetime and is thread-safe by POSIX.
    private let semaphore: UnsafeMutablePointer<sem_t>

    /// Creates a semaphore holding `value` permits.
    public init(value: Int = 0) {
        semaphore = .allocate(capacity: 1)
        sem_init(semaphore, 0, UInt32(value))
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    /// Adds a permit, waking one blocked thread if any.
    public func signal() {
        sem_post(semaphore)
    }

    /// Takes a permit, blocking the calling thread until one is available.
    @available(*, noasync, message: "Blocks the calling thread.")
    public func wait() {
        while sem_wait(semaphore) == -1 && errno == EINTR {}
    }
}
