import ConlabCore
public import ConlabLatency

/// Reads the modelled I/O any workload may wait on: `latency`, `failure_rate` and `timeout` keys of a mapping.
public enum IOModelReader {
    /// The I/O model of `mapping`'s `latency`, `failure_rate` and `timeout`, or `nil` with the problems
    /// recorded in `reader`.
    public static func read(_ mapping: MappingReader, reader: NodeReader) -> IOModel? {
        let latency = mapping.required("latency", form: "a duration such as 100ms, or a latency model").flatMap {
            LatencyModelReader.read($0, path: mapping.path("latency"), reader: reader)
        }
        let failureRate = mapping.optional("failure_rate").flatMap {
            reader.number($0, mapping.path("failure_rate"), in: 0...1, form: "a probability from 0 to 1")
        }
        let timeout = mapping.optional("timeout").flatMap {
            reader.duration($0, mapping.path("timeout"), positive: true)
        }
        guard let latency else { return nil }
        if mapping.optional("failure_rate") != nil && failureRate == nil { return nil }
        if mapping.optional("timeout") != nil && timeout == nil { return nil }
        return IOModel(latency: latency, failureRate: failureRate ?? 0, timeout: timeout)
    }
}
