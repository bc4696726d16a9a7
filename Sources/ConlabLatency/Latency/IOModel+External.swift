import ConlabCore

extension IOModel {
    /// The model as the strategy protocol writes it (`docs/strategy-protocol.md`): `latency`
    /// (``LatencyModel/externalJSON``), `failure_rate`, and `timeout_ns` (`null` for none).
    public var externalJSON: String {
        let timeout = timeout.map { String($0.wholeNanoseconds) } ?? "null"
        return #"{"latency":\#(latency.externalJSON),"failure_rate":\#(failureRate),"timeout_ns":\#(timeout)}"#
    }
}
