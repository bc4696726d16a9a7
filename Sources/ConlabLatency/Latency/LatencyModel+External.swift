import ConlabCore

extension LatencyModel {
    /// The model as the strategy protocol writes it (`docs/strategy-protocol.md`): a JSON object with a `kind`
    /// and its parameters, durations in whole nanoseconds so a program in any language reads them exactly.
    public var externalJSON: String {
        func ns(_ duration: Duration) -> String { String(duration.wholeNanoseconds) }
        switch self {
        case .fixed(let value):
            return #"{"kind":"fixed","value_ns":\#(ns(value))}"#
        case .uniform(let lower, let upper):
            return #"{"kind":"uniform","min_ns":\#(ns(lower)),"max_ns":\#(ns(upper))}"#
        case .normal(let mean, let standardDeviation):
            return #"{"kind":"normal","mean_ns":\#(ns(mean)),"sd_ns":\#(ns(standardDeviation))}"#
        case .exponential(let mean):
            return #"{"kind":"exponential","mean_ns":\#(ns(mean))}"#
        case .lognormal(let median, let sigma):
            return #"{"kind":"lognormal","median_ns":\#(ns(median)),"sigma":\#(sigma)}"#
        case .pareto(let scale, let shape):
            return #"{"kind":"pareto","scale_ns":\#(ns(scale)),"shape":\#(shape)}"#
        case .empirical(let samples):
            return #"{"kind":"empirical","samples_ns":[\#(samples.map(ns).joined(separator: ","))]}"#
        }
    }
}
