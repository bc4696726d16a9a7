import ConlabCore
import ConlabIO
public import ConlabLatency
import ConlabToolkit
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Item 61's threaded server: one thread listens, and every connection gets a thread of its own that
/// blocks in its reads (the seed's `run_server` and `handle_connection`).
///
/// Bounded: the listener checks for a stop every 100 ms, connections end after `timeout` of silence,
/// and ``stop()`` shuts down the open connections and joins every thread.
public final class ThreadedGuessServer: GuessServer {
    /// The port on 127.0.0.1.
    public let port: UInt16
    /// What it saw.
    public let log = GuessServerLog()
    private let listener: Int32
    private let listening: Mutex<OSThread?> = Mutex(nil)
    private let handlers: Mutex<[OSThread]> = Mutex([])

    /// Listens on a free port and starts accepting.
    public init(random: CounterRandom, timeout: Duration) throws {
        (listener, port) = try LoopbackSocket.listen()
        do {
            let thread = try OSThread.spawn(name: "guess-listen", stackSize: 256 * 1024) { [self] in
                accept(random: random, timeout: timeout)
            }
            listening.withLock { $0 = thread }
        } catch {
            // Without its listening thread the server never accepts: give the port back.
            close(listener)
            throw error
        }
    }

    @available(*, noasync)
    private func accept(random: CounterRandom, timeout: Duration) {
        while !log.isStopping {
            guard ReadinessWait.poll(listener, timeout: .milliseconds(100)) else { continue }
            while let descriptor = try? LoopbackSocket.accept(listener), log.opened(descriptor) {
                do {
                    let handler = try OSThread.spawn(name: "guess-conn", stackSize: 256 * 1024) { [log] in
                        GuessConnection.serveBlocking(descriptor, log: log, random: random, timeout: timeout)
                    }
                    handlers.withLock { $0.append(handler) }
                } catch {
                    log.refusedThread(descriptor, error.description)
                }
            }
        }
        close(listener)
    }

    /// Stops listening, ends every connection, and joins every thread.
    public func stop() {
        log.stop()
        // Wakes the listening thread's poll(2) at once rather than at its next 100 ms check.
        _ = shutdown(self.listener, Int32(SHUT_RDWR))
        let listener = listening.withLock { $0.take() }
        listener?.join()
        for handler in handlers.withLock({ $0 }) { handler.join() }
    }
}
