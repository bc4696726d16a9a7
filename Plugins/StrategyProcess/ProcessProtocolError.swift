/// A worker said something the protocol does not allow.
struct ProcessProtocolError: Error, CustomStringConvertible {
    let message: String
    var description: String { "worker protocol error: \(message)" }
}
