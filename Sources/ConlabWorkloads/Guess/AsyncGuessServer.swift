import ConlabCore
public import ConlabIO
public import ConlabLatency
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Item 61's server ported to async: a task listens, and every connection is a child task whose reads
/// suspend on the run's ``ReadinessReactor`` (the seed's `asyncio.start_server`). No thread of its own and
/// none of the cooperative pool's ever blocks.
///
/// The tasks prefer the reactor's executor, so they run on the reactor thread as asyncio's run on its
/// loop: a connection that becomes readable is served at once, without a hand-over to a pool thread.
public final class AsyncGuessServer: GuessServer {
    /// The port on 127.0.0.1.
    public let port: UInt16
    /// What it saw.
    public let log = GuessServerLog()
    private let serving: Mutex<Task<Void, Never>?> = Mutex(nil)

    /// Listens on a free port and starts accepting, its tasks on `reactor`.
    public init(random: CounterRandom, timeout: Duration, reactor: ReadinessReactor) throws {
        let (listener, port) = try LoopbackSocket.listen()
        self.port = port
        let log = self.log
        let task = Task.detached(executorPreference: reactor) {
            let readiness = reactor.register(listener)
            await withDiscardingTaskGroup { group in
                while !log.isStopping {
                    // Accepts after a timeout too: an accept cut short (an aborted connection) can leave others
                    // queued, and the edge-triggered registration reports only newcomers.
                    _ = await readiness.wait(.readable, until: .now + .milliseconds(100))
                    while let descriptor = try? LoopbackSocket.accept(listener), log.opened(descriptor) {
                        group.addTask {
                            await GuessConnection.serveSuspending(
                                descriptor,
                                log: log,
                                random: random,
                                timeout: timeout,
                                reactor: reactor
                            )
                        }
                    }
                }
                readiness.cancel()
                close(listener)
            }
        }
        serving.withLock { $0 = task }
    }

    /// Stops listening and ends every connection; the tasks finish on their own (see ``finished()``).
    public func stop() {
        log.stop()
        serving.withLock { $0 }?.cancel()
    }

    /// Waits until the listener and every connection task have ended.
    public func finished() async {
        await serving.withLock { $0 }?.value
    }
}
