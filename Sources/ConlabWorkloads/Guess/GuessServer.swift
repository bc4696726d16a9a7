/// A guessing-game server listening on 127.0.0.1: ``ThreadedGuessServer`` or ``AsyncGuessServer``.
public protocol GuessServer: AnyObject, Sendable {
    /// Its port.
    var port: UInt16 { get }
    /// What it saw.
    var log: GuessServerLog { get }
    /// Stops listening and ends every connection.
    func stop()
}
