import ConlabCore
public import ConlabLatency

/// Reads a latency model: a bare duration (fixed), or one key naming the model with its parameters.
public enum LatencyModelReader {
    /// What a latency may be written as, for messages.
    public static let form =
        "a duration (fixed) or one of: fixed, uniform {min, max}, normal {mean, stddev}, exponential {mean}, "
        + "lognormal {median, sigma}, pareto {scale, shape}, empirical [durations]"

    /// ``LatencyModel/maximum`` as scenarios write it.
    static let maximumText = "1000h"
    /// What a latency longer than ``LatencyModel/maximum`` is told.
    static let maximumForm = "a duration of at most \(maximumText) (the longest latency conlab models)"

    /// The latency model at `node`, or `nil` with the problem recorded in `reader`.
    public static func read(_ node: YAMLNode, path: String, reader: NodeReader) -> LatencyModel? {
        if let text = reader.scalarText(node) {
            guard let duration = DurationSyntax.parse(text) else {
                reader.expected(node, path, form)
                return nil
            }
            return bounded(duration, node, path, reader: reader).map(LatencyModel.fixed)
        }
        // A duration of the model, refused above the maximum every draw is capped at.
        func duration(_ node: YAMLNode, _ path: String, positive: Bool = false) -> Duration? {
            reader.duration(node, path, positive: positive).flatMap { bounded($0, node, path, reader: reader) }
        }
        guard node.kind == .mapping, node.count == 1, let (key, value) = node.pairs.first,
            let model = reader.scalarText(key)
        else {
            reader.expected(node, path, form)
            return nil
        }
        let modelPath = "\(path).\(model)"
        if model == "fixed" {
            return duration(value, modelPath).map(LatencyModel.fixed)
        }
        if model == "empirical" {
            guard let items = reader.sequence(value, modelPath, form: "a non-empty list of durations"), !items.isEmpty
            else {
                if value.kind == .sequence { reader.expected(value, modelPath, "a non-empty list of durations") }
                return nil
            }
            let samples = items.enumerated().compactMap { duration($1, "\(modelPath).\($0)") }
            return samples.count == items.count ? .empirical(samples) : nil
        }
        let parameters: [String]
        switch model {
        case "uniform": parameters = ["min", "max"]
        case "normal": parameters = ["mean", "stddev"]
        case "exponential": parameters = ["mean"]
        case "lognormal": parameters = ["median", "sigma"]
        case "pareto": parameters = ["scale", "shape"]
        default:
            reader.report(key, modelPath, "unknown latency model '\(model)'; expected \(form)")
            return nil
        }
        guard let mapping = reader.mapping(value, modelPath) else { return nil }
        defer { mapping.finish() }
        let nodes = parameters.map { mapping.required($0, form: "the model's '\($0)'") }
        guard let first = nodes[0] else { return nil }
        let second = nodes.count > 1 ? nodes[1] : nil
        if nodes.count > 1 && second == nil { return nil }
        switch model {
        case "uniform":
            guard let low = duration(first, mapping.path("min")),
                let high = duration(second!, mapping.path("max"))
            else { return nil }
            guard low <= high else {
                reader.report(second, mapping.path("max"), "expected max >= min (\(DurationFormat.short(low)))")
                return nil
            }
            return .uniform(min: low, max: high)
        case "normal":
            guard let mean = duration(first, mapping.path("mean")),
                let deviation = duration(second!, mapping.path("stddev"), positive: true)
            else { return nil }
            return .normal(mean: mean, standardDeviation: deviation)
        case "exponential":
            return duration(first, mapping.path("mean"), positive: true).map { .exponential(mean: $0) }
        case "lognormal":
            guard let median = duration(first, mapping.path("median"), positive: true),
                let sigma = reader.number(
                    second!,
                    mapping.path("sigma"),
                    in: 0.000_001...10,
                    form: "a positive number up to 10"
                )
            else { return nil }
            return .lognormal(median: median, sigma: sigma)
        default:
            guard let scale = duration(first, mapping.path("scale"), positive: true),
                let shape = reader.number(
                    second!,
                    mapping.path("shape"),
                    in: 0.01...100,
                    form: "a positive number (the tail index, e.g. 2.5)"
                )
            else { return nil }
            return .pareto(scale: scale, shape: shape)
        }
    }

    /// `duration`, or nil with the limit named when it is longer than ``LatencyModel/maximum``.
    private static func bounded(_ duration: Duration, _ node: YAMLNode, _ path: String, reader: NodeReader) -> Duration?
    {
        guard duration <= LatencyModel.maximum else {
            reader.expected(node, path, maximumForm)
            return nil
        }
        return duration
    }
}
