/// The values of a strategy's options, read from a scenario by ``StrategyOptions/values(for:)``: one per
/// declared option, as written or its default.
public struct OptionValues: Sendable {
    /// One option's value, and its part of the label when it shows there.
    private struct Setting: Sendable {
        var key: String
        var value: any Sendable
        var labelPart: String?
    }

    /// In the order the options are declared, which is the order of the label.
    private var settings: [Setting] = []

    /// No values: the state before any option is read.
    init() {}

    /// Records an option's value; ``OptionDeclaration/read(from:into:)`` calls it.
    mutating func record(key: String, value: any Sendable, labelPart: String?) {
        settings.append(Setting(key: key, value: value, labelPart: labelPart))
    }

    /// The value of `option`, which must be among the options read.
    public subscript<Value>(option: StrategyOption<Value>) -> Value {
        guard let setting = settings.first(where: { $0.key == option.key }), let value = setting.value as? Value else {
            preconditionFailure("option '\(option.key)' is not among the strategy's options")
        }
        return value
    }

    /// `name`, followed by the options that show in labels (``OptionLabeling``) in declaration order:
    /// `pool(max_workers: 10)`, `process(workers: 2, chunk_size: 1)`, or `process` when none shows.
    public func label(_ name: String) -> String {
        let parts = settings.compactMap(\.labelPart)
        return parts.isEmpty ? name : "\(name)(\(parts.joined(separator: ", ")))"
    }
}
