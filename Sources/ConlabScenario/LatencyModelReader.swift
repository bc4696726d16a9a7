import ConlabCore
import Yams

/// Reads a latency model: a bare duration (fixed), or one key naming the model with its parameters.
enum LatencyModelReader {
    static let form =
        "a duration (fixed) or one of: fixed, uniform {min, max}, normal {mean, stddev}, exponential {mean}, "
        + "lognormal {median, sigma}, pareto {scale, shape}, empirical [durations]"

    static func read(_ node: Node, path: String, reader: NodeReader) -> LatencyModel? {
        if let text = reader.scalarText(node) {
            guard let duration = DurationSyntax.parse(text) else {
                reader.expected(node, path, form)
                return nil
            }
            return .fixed(duration)
        }
        guard case .mapping(let pairs) = node, pairs.count == 1, let (key, value) = pairs.first,
            let model = reader.scalarText(key)
        else {
            reader.expected(node, path, form)
            return nil
        }
        let modelPath = "\(path).\(model)"
        if model == "fixed" {
            return reader.duration(value, modelPath).map(LatencyModel.fixed)
        }
        if model == "empirical" {
            guard let items = reader.sequence(value, modelPath, form: "a non-empty list of durations"), !items.isEmpty
            else {
                if case .sequence = value { reader.expected(value, modelPath, "a non-empty list of durations") }
                return nil
            }
            let samples = items.enumerated().compactMap { reader.duration($1, "\(modelPath).\($0)") }
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
            guard let low = reader.duration(first, mapping.path("min")),
                let high = reader.duration(second!, mapping.path("max"))
            else { return nil }
            guard low <= high else {
                reader.report(second, mapping.path("max"), "expected max >= min (\(DurationFormat.short(low)))")
                return nil
            }
            return .uniform(min: low, max: high)
        case "normal":
            guard let mean = reader.duration(first, mapping.path("mean")),
                let deviation = reader.duration(second!, mapping.path("stddev"), positive: true)
            else { return nil }
            return .normal(mean: mean, standardDeviation: deviation)
        case "exponential":
            return reader.duration(first, mapping.path("mean"), positive: true).map { .exponential(mean: $0) }
        case "lognormal":
            guard let median = reader.duration(first, mapping.path("median"), positive: true),
                let sigma = reader.number(
                    second!,
                    mapping.path("sigma"),
                    in: 0.000_001...10,
                    form: "a positive number up to 10"
                )
            else { return nil }
            return .lognormal(median: median, sigma: sigma)
        default:
            guard let scale = reader.duration(first, mapping.path("scale"), positive: true),
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
}
