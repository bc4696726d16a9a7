/// The sinks of one run, fed as one: every event goes to each sink in turn, in the order given.
public struct RunEvents: RunEventSink {
    /// The sinks.
    public var sinks: [any RunEventSink]

    /// Sends to `sinks`; none discards everything.
    public init(_ sinks: [any RunEventSink] = []) {
        self.sinks = sinks
    }

    /// Sends `event` to every sink.
    public func receive(_ event: RunEvent) {
        for sink in sinks { sink.receive(event) }
    }
}
