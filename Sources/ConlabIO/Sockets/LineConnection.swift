#if canImport(Glibc)
import ConlabCore
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A TCP connection that carries text lines ending in `\n` (the seed's `ConnectionBase`), readable and
/// writable two ways: blocking the calling thread in `poll(2)` or suspending the calling task on the
/// ``ReadinessReactor``. Both try the call first and wait only when the socket is not ready — or, for
/// reads, when the last read already emptied it (it returned less than it asked for), which saves the
/// read that would find nothing on every line of a conversation.
///
/// One owner at a time: a thread or a task. It closes its descriptor when closed or released.
public final class LineConnection {
    /// Why a call failed.
    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// Nothing arrived (or nothing could be sent) before the deadline.
        case timedOut(Duration)
        /// A line longer than ``maximumLineLength`` arrived.
        case lineTooLong(Int)
        /// The bytes of a line are not UTF-8.
        case notText
        /// A system call failed: `errno` and the call.
        case socket(call: String, code: Int32)

        /// In words.
        public var description: String {
            switch self {
            case .timedOut(let limit): "nothing within \(DurationFormat.short(limit))"
            case .lineTooLong(let limit): "a line longer than \(limit) bytes"
            case .notText: "a line that is not UTF-8"
            case .socket(let call, let code): LoopbackSocket.Failure(call, code: code).description
            }
        }
    }

    /// The longest line accepted, newline excluded; a peer sending more is an error, not a memory hog.
    public static let maximumLineLength = 1024

    /// The socket.
    public let descriptor: Int32
    private var pending: [UInt8] = []
    private var consumed = 0
    /// Reused for every read: a connection reads thousands of short lines.
    private var chunk = [UInt8](repeating: 0, count: 4096)
    private var isClosed = false
    /// The last read emptied the socket: the next waits for data before it reads.
    private var drained = false
    /// What the suspending calls wait on; `nil` for a connection used only by blocking calls.
    private let reactor: ReadinessReactor?
    /// The socket's registration with the reactor, made at the first suspending call.
    private var registration: ReadinessReactor.Registration?

    /// Takes ownership of a connected, non-blocking socket, whose suspending calls wait on `reactor`.
    public init(descriptor: Int32, reactor: ReadinessReactor? = nil) {
        self.descriptor = descriptor
        self.reactor = reactor
    }

    deinit { close() }

    /// Closes the socket (once), ending its registration with the reactor first.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        registration?.cancel()
        registration = nil
        _ = Glibc.close(descriptor)
    }

    /// The socket's registration with the reactor, made on first use; a connection made without a
    /// reactor cannot suspend.
    private func readiness() throws(Failure) -> ReadinessReactor.Registration {
        if let registration { return registration }
        guard let reactor else { throw .socket(call: "wait (no readiness reactor to suspend on)", code: EINVAL) }
        let registration = reactor.register(descriptor)
        self.registration = registration
        return registration
    }

    /// Says no more will be sent; the peer reads the end of the stream after what was sent.
    public func finishSending() {
        _ = shutdown(descriptor, Int32(SHUT_WR))
    }

    // MARK: Blocking

    /// Sends `text` (one or more lines), blocking while the socket buffer is full.
    @available(*, noasync, message: "Blocks the calling thread; use the async form in tasks.")
    public func send(_ text: String, timeout: Duration) throws(Failure) {
        let deadline = ContinuousClock.now + timeout
        var bytes = Array(text.utf8)
        var offset = 0
        while try !write(&bytes, from: &offset) {
            guard Self.poll(descriptor, events: Int16(POLLOUT), until: deadline) else { throw .timedOut(timeout) }
        }
    }

    /// The next line without its newline, blocking until it arrives; `nil` at the end of the stream.
    @available(*, noasync, message: "Blocks the calling thread; use the async form in tasks.")
    public func receiveLine(timeout: Duration) throws(Failure) -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = try takeLine() { return line }
            if drained {
                guard Self.poll(descriptor, events: Int16(POLLIN), until: deadline) else { throw .timedOut(timeout) }
            }
            switch try fill() {
            case .data, .notReady: continue
            case .end: return try takeRemainder()
            }
        }
    }

    /// Reads and drops whatever the peer still sends until it closes, `timeout` passes or `limit` bytes
    /// have gone — so that closing after an error does not reset the connection before the peer has
    /// read the error.
    @available(*, noasync, message: "Blocks the calling thread; use the async form in tasks.")
    public func discardUntilEnd(timeout: Duration, limit: Int = 1 << 20) {
        let deadline = ContinuousClock.now + timeout
        var dropped = 0
        while dropped < limit {
            pending.removeAll(keepingCapacity: true)
            consumed = 0
            switch try? fill() {
            case .data: dropped += pending.count
            case .notReady: if !Self.poll(descriptor, events: Int16(POLLIN), until: deadline) { return }
            case .end, nil: return
            }
        }
    }

    // MARK: Suspending

    /// Sends `text` (one or more lines), suspending while the socket buffer is full.
    public func send(_ text: String, timeout: Duration) async throws(Failure) {
        let deadline = ContinuousClock.now + timeout
        var bytes = Array(text.utf8)
        var offset = 0
        while try !write(&bytes, from: &offset) {
            guard try await readiness().wait(.writable, until: deadline) else {
                throw .timedOut(timeout)
            }
        }
    }

    /// The next line without its newline, suspending until it arrives; `nil` at the end of the stream.
    public func receiveLine(timeout: Duration) async throws(Failure) -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = try takeLine() { return line }
            if drained {
                guard try await readiness().wait(.readable, until: deadline) else { throw .timedOut(timeout) }
            }
            switch try fill() {
            case .data, .notReady: continue
            case .end: return try takeRemainder()
            }
        }
    }

    /// Reads and drops whatever the peer still sends until it closes, `timeout` passes or `limit` bytes
    /// have gone.
    public func discardUntilEnd(timeout: Duration, limit: Int = 1 << 20) async {
        let deadline = ContinuousClock.now + timeout
        var dropped = 0
        while dropped < limit {
            pending.removeAll(keepingCapacity: true)
            consumed = 0
            switch try? fill() {
            case .data: dropped += pending.count
            case .notReady:
                guard let readiness = try? readiness(), await readiness.wait(.readable, until: deadline) else {
                    return
                }
            case .end, nil: return
            }
        }
    }

    // MARK: The calls both forms share

    /// Writes what it can; `true` once everything is sent.
    private func write(_ bytes: inout [UInt8], from offset: inout Int) throws(Failure) -> Bool {
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { buffer in
                Glibc.send(descriptor, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return false
            } else if sent < 0 && errno == EINTR {
                continue
            } else {
                throw .socket(call: "send", code: errno)
            }
        }
        return true
    }

    private enum Fill { case data, end, notReady }

    /// Reads what has arrived into the buffer.
    private func fill() throws(Failure) -> Fill {
        if consumed > 0 {
            pending.removeFirst(consumed)
            consumed = 0
        }
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                pending.append(contentsOf: chunk[0..<count])
                // A stream socket that returns less than asked has nothing more for now.
                drained = count < chunk.count
                return .data
            }
            if count == 0 { return .end }
            switch errno {
            case EAGAIN, EWOULDBLOCK:
                drained = true
                return .notReady
            case EINTR: continue
            default: throw .socket(call: "recv", code: errno)
            }
        }
    }

    /// A complete line from the buffer, if one is there.
    private func takeLine() throws(Failure) -> String? {
        guard let newline = pending[consumed...].firstIndex(of: UInt8(ascii: "\n")) else {
            if pending.count - consumed > Self.maximumLineLength { throw .lineTooLong(Self.maximumLineLength) }
            return nil
        }
        guard newline - consumed <= Self.maximumLineLength else { throw .lineTooLong(Self.maximumLineLength) }
        let line = try Self.text(pending[consumed..<newline])
        consumed = newline + 1
        return line
    }

    /// At the end of the stream: an unterminated last line, or `nil`.
    private func takeRemainder() throws(Failure) -> String? {
        guard consumed < pending.count else { return nil }
        let line = try Self.text(pending[consumed...])
        consumed = pending.count
        return line
    }

    private static func text(_ bytes: ArraySlice<UInt8>) throws(Failure) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notText }
        return text
    }

    /// Blocks in `poll(2)` until `events` or `deadline`; `false` on the deadline.
    private static func poll(_ descriptor: Int32, events: Int16, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return false }
            var request = pollfd(fd: descriptor, events: events, revents: 0)
            let milliseconds = Int32(min((remaining.inSeconds * 1000).rounded(.up), 60_000))
            let ready = Glibc.poll(&request, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }  // let the call itself report the error
        }
    }
}
