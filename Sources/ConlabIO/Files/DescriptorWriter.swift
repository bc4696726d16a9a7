#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes bytes whole to a file descriptor with `write(2)`, and says when it could not.
///
/// Every output of conlab goes through here: Foundation's `FileHandle.write(_:)` traps on a failed write (a
/// closed standard error, a full disk, a reader that went away), and stdio's `print` drops the error. A
/// partial write is continued and `EINTR` retried; any other failure is returned as its error number, for
/// the caller to report. A reader that has gone is `EPIPE`, never SIGPIPE: the signal is held back while
/// the bytes are written and discarded if the write raised it, so even a process that kept SIGPIPE's
/// default action (which kills) survives.
///
/// ```swift
/// if let code = DescriptorWriter.write("done\n", to: STDOUT_FILENO) {
///     // report String(cString: strerror(code))
/// }
/// ```
public enum DescriptorWriter {
    /// Writes all of `bytes` to `descriptor`. Returns `nil` when every byte went out, otherwise the error
    /// number of the write that failed (`EIO` for a write that took nothing and reported nothing).
    @discardableResult
    public static func write(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int32? {
        guard bytes.count > 0 else { return nil }
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        var failure: Int32?
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                failure = written < 0 ? errno : EIO
                break
            }
            offset += written
        }
        if failure == EPIPE, sigismember(&previous, SIGPIPE) == 0 {
            // The signal this write raised is pending on this thread: take it before the old mask comes back.
            var none = timespec(tv_sec: 0, tv_nsec: 0)
            while sigtimedwait(&pipeSignal, nil, &none) == SIGPIPE {}
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        return failure
    }

    /// Writes `text` as UTF-8 to `descriptor`; `nil`, or the error number of the failed write.
    @discardableResult
    public static func write(_ text: String, to descriptor: Int32) -> Int32? {
        var text = text
        return text.withUTF8 { write(UnsafeRawBufferPointer($0), to: descriptor) }
    }
}
