import ConlabCore
public import ConlabIO
public import ConlabLatency

/// Serves one connection of the guessing game, blocking a thread or suspending a task: read a line,
/// answer it, until the client closes, breaks the protocol, or goes quiet for `timeout`.
///
/// A broken protocol — including a line too long or not text — is answered with `ERROR <reason>`; then
/// the server reads (and drops) what the client still sends until it closes, for at most a second, so
/// the client reads the error instead of a reset connection.
public enum GuessConnection {
    /// After an error, the longest wait for the client to close.
    static let drainTime = Duration.seconds(1)

    /// Serves `descriptor` on the calling thread (the seed's `handle_connection`).
    @available(*, noasync, message: "Blocks the calling thread; use the async form in tasks.")
    public static func serveBlocking(_ descriptor: Int32, log: GuessServerLog, random: CounterRandom, timeout: Duration)
    {
        let connection = LineConnection(descriptor: descriptor)
        var session = GuessServerSession(random: random)
        var ending = Ending()
        do {
            while true {
                let line: String?
                do {
                    line = try connection.receiveLine(timeout: timeout)
                } catch {
                    line = try ending.protocolBreak(error)
                }
                guard let line else { break }
                switch session.handle(line) {
                case .silent: continue
                case .reply(let text): try connection.send(text + "\n", timeout: timeout)
                case .refuse(let reason): ending.refusal = reason
                }
                if ending.refusal != nil { break }
            }
            if let refusal = ending.refusal {
                // Logged before the client can read it, so a client that has its answer finds it counted.
                log.refused(refusal)
                try connection.send("ERROR \(refusal)\n", timeout: timeout)
                connection.finishSending()
                connection.discardUntilEnd(timeout: drainTime)
            }
        } catch {
            ending.failure = error.description
        }
        session.close()
        log.closed(connection, session: session, failure: ending.failure)
    }

    /// Serves `descriptor` in the calling task, never blocking its thread.
    public static func serveSuspending(
        _ descriptor: Int32,
        log: GuessServerLog,
        random: CounterRandom,
        timeout: Duration,
        reactor: ReadinessReactor
    ) async {
        let connection = LineConnection(descriptor: descriptor, reactor: reactor)
        var session = GuessServerSession(random: random)
        var ending = Ending()
        do {
            while true {
                let line: String?
                do {
                    line = try await connection.receiveLine(timeout: timeout)
                } catch {
                    line = try ending.protocolBreak(error)
                }
                guard let line else { break }
                switch session.handle(line) {
                case .silent: continue
                case .reply(let text): try await connection.send(text + "\n", timeout: timeout)
                case .refuse(let reason): ending.refusal = reason
                }
                if ending.refusal != nil { break }
            }
            if let refusal = ending.refusal {
                log.refused(refusal)
                try await connection.send("ERROR \(refusal)\n", timeout: timeout)
                connection.finishSending()
                await connection.discardUntilEnd(timeout: drainTime)
            }
        } catch {
            ending.failure = error.description
        }
        session.close()
        log.closed(connection, session: session, failure: ending.failure)
    }

    /// How a connection ends: a refusal owed to the client, or a failure of the connection itself.
    private struct Ending {
        var refusal: String?
        var failure: String?

        /// A line too long or not text becomes the refusal; any other failure is rethrown.
        mutating func protocolBreak(_ failure: LineConnection.Failure) throws(LineConnection.Failure) -> String? {
            switch failure {
            case .lineTooLong(let limit): refusal = "a line longer than \(limit) bytes"
            case .notText: refusal = "a line that is not UTF-8 text"
            case .timedOut, .socket: throw failure
            }
            return nil
        }
    }
}
