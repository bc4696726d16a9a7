import ConlabCore
import ConlabIO
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a guessing-game server saw, shared by its connection handlers, and the connections it has open
/// so that stopping can end them.
public final class GuessServerLog: Sendable {
    /// A snapshot.
    public struct Summary: Sendable, Equatable {
        /// Connections accepted.
        public var connections = 0
        /// Sessions that ended (by a new `PARAMS` or the end of the connection), as the server saw them.
        public var sessions: [[GuessMove]] = []
        /// The reasons of every `ERROR` sent.
        public var refusals: [String] = []
        /// Connections that ended in a failure of the socket or a timeout.
        public var failures: [String] = []
    }

    private struct State {
        var summary = Summary()
        var open: Set<Int32> = []
        var stopping = false
    }

    private let state = Mutex(State())

    /// An empty log.
    public init() {}

    /// What was seen so far.
    public var summary: Summary { state.withLock { $0.summary } }

    /// Connections accepted and not yet closed.
    public var openConnections: Int { state.withLock { $0.open.count } }

    /// Whether the server is stopping.
    public var isStopping: Bool { state.withLock { $0.stopping } }

    /// Records a new connection; `false` (and the descriptor closed) when the server is stopping.
    func opened(_ descriptor: Int32) -> Bool {
        let accepted = state.withLock { state in
            guard !state.stopping else { return false }
            state.summary.connections += 1
            state.open.insert(descriptor)
            return true
        }
        if !accepted { close(descriptor) }
        return accepted
    }

    /// Records an `ERROR` about to be sent.
    func refused(_ reason: String) {
        state.withLock { $0.summary.refusals.append(reason) }
    }

    /// Records how a connection ended and closes it; under the lock, so ``stop()`` never shuts down a
    /// descriptor number already reused.
    func closed(_ connection: LineConnection, session: GuessServerSession, failure: String?) {
        state.withLock { state in
            state.summary.sessions += session.finished
            if let failure { state.summary.failures.append(failure) }
            state.open.remove(connection.descriptor)
            connection.close()
        }
    }

    /// Records a connection dropped because no thread could be created for it, and closes it.
    func refusedThread(_ descriptor: Int32, _ reason: String) {
        state.withLock { state in
            state.summary.failures.append(reason)
            state.open.remove(descriptor)
            close(descriptor)
        }
    }

    /// Refuses new connections and shuts down the open ones, so their handlers see the end of the stream.
    func stop() {
        state.withLock { state in
            state.stopping = true
            for descriptor in state.open { _ = shutdown(descriptor, Int32(SHUT_RDWR)) }
        }
    }
}
