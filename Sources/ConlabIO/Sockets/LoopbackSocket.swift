import CLinux

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// TCP sockets on 127.0.0.1: a listener on a free port, connections to it. Every descriptor is
/// non-blocking and close-on-exec; blocking callers wait in `poll(2)`, tasks in ``ReadinessReactor``.
public enum LoopbackSocket {
    /// A failed socket call, with its `errno`.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        /// The call, e.g. `connect`.
        public var call: String
        /// Its `errno`.
        public var code: Int32

        /// A failure of `call` with `code`.
        public init(_ call: String, code: Int32) {
            self.call = call
            self.code = code
        }

        /// A failure of `call` with the current `errno`.
        init(_ call: String) {
            self.init(call, code: errno)
        }

        /// `connect: Connection refused (errno 111)`.
        public var description: String { "\(call): \(String(cString: strerror(code))) (errno \(code))" }
    }

    /// A listening socket on a port the kernel chose; returns its descriptor and port.
    public static func listen(backlog: Int32 = 1024) throws(Failure) -> (descriptor: Int32, port: UInt16) {
        let descriptor = socket(
            AF_INET,
            Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue),
            0
        )
        guard descriptor >= 0 else { throw Failure("socket") }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, Glibc.listen(descriptor, backlog) == 0 else {
            let failure = Failure(bound == 0 ? "listen" : "bind")
            close(descriptor)
            throw failure
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard named == 0 else {
            let failure = Failure("getsockname")
            close(descriptor)
            throw failure
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }

    /// A connection to `port` on 127.0.0.1, established (loopback connects at once or fails at once).
    public static func connect(port: UInt16) throws(Failure) -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw Failure("socket") }
        var address = loopback(port: port)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let failure = Failure("connect")
            close(descriptor)
            throw failure
        }
        prepare(descriptor)
        return descriptor
    }

    /// The next pending connection on `listener`, or `nil` when none is waiting.
    public static func accept(_ listener: Int32) throws(Failure) -> Int32? {
        let descriptor = clinux_accept_cloexec(listener)
        if descriptor >= 0 {
            prepare(descriptor)
            return descriptor
        }
        switch errno {
        case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED: return nil
        default: throw Failure("accept")
        }
    }

    /// Non-blocking, and no Nagle delay: the protocol is small request/response lines.
    private static func prepare(_ descriptor: Int32) {
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        var on: Int32 = 1
        _ = setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    private static func loopback(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}
