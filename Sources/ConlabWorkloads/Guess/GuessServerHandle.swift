public import ConlabCore
import ConlabIO
import ConlabLatency
import Synchronization

/// The server of one guessing-game run, started by the first client that needs it — so the serial
/// reference, which plays in memory, never starts one — and stopped once, when the run ends or the batch
/// is released.
public final class GuessServerHandle: Sendable {
    private enum State {
        case idle
        case running(any GuessServer)
        case stopping
        case stopped(GuessServerLog.Summary?)
    }

    private let kind: GuessWorkload.ServerKind
    private let random: CounterRandom
    private let timeout: Duration
    private let state = Mutex(State.idle)

    init(kind: GuessWorkload.ServerKind, random: CounterRandom, timeout: Duration) {
        self.kind = kind
        self.random = random
        self.timeout = timeout
    }

    deinit { _ = stop() }

    /// The server's port, starting it if it is not running yet; an async server's tasks wait on the
    /// ``ReadinessReactor`` among `services`.
    public func port(using services: WaitServices) throws -> UInt16 {
        try state.withLock { state in
            switch state {
            case .running(let server):
                return server.port
            case .stopping, .stopped:
                throw LoopbackSocket.Failure("connect (the server has stopped)", code: 111)  // ECONNREFUSED
            case .idle:
                let server: any GuessServer =
                    switch kind {
                    case .threaded: try ThreadedGuessServer(random: random, timeout: timeout)
                    case .async:
                        try AsyncGuessServer(
                            random: random,
                            timeout: timeout,
                            reactor: services.require(ReadinessReactor.self)
                        )
                    }
                state = .running(server)
                return server.port
            }
        }
    }

    /// Stops the server (once) and returns what it saw; `nil` when none was started, or when another
    /// caller is stopping it.
    public func stop() -> GuessServerLog.Summary? {
        let server: (any GuessServer)? = state.withLock { state in
            switch state {
            case .running(let server):
                state = .stopping
                return server
            case .idle:
                state = .stopped(nil)
                return nil
            case .stopping, .stopped:
                return nil
            }
        }
        guard let server else {
            return state.withLock { state in
                guard case .stopped(let summary) = state else { return nil }
                return summary
            }
        }
        server.stop()
        let summary = server.log.summary
        state.withLock { $0 = .stopped(summary) }
        return summary
    }
}
