public import ConlabCore

/// One option a strategy program's manifest declares, as a built-in strategy declares a ``StrategyOption``:
/// its key, type, default, range and help. Scenarios write it beside the program's name, `validate` checks it
/// with its place, and the program receives every option's value in conlab's greeting (`options`).
///
/// ```json
/// {"key": "workers", "type": "integer", "default": 4, "range": [1, 64], "help": "threads in the pool"}
/// ```
public struct ManifestOption: Sendable, Hashable, Decodable {
    /// The types an option may have.
    public enum Kind: String, Sendable, Hashable, Decodable, CaseIterable {
        /// A whole number, within `range` when one is given.
        case integer
        /// A number, within `range` when one is given.
        case number
        /// `true` or `false`.
        case boolean
        /// Any text.
        case string
        /// A duration such as `10ms`; the program receives it in whole nanoseconds.
        case duration
    }

    /// A value of an option, as the manifest writes its default and as the program receives it.
    public enum Value: Sendable, Hashable, Codable {
        /// A whole number; a duration's nanoseconds.
        case integer(Int)
        /// A number with a fraction.
        case number(Double)
        /// `true` or `false`.
        case boolean(Bool)
        /// Text.
        case string(String)

        /// Reads a JSON scalar: a boolean, a whole number, a number or a string, in that order.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let boolean = try? container.decode(Bool.self) {
                self = .boolean(boolean)
            } else if let integer = try? container.decode(Int.self) {
                self = .integer(integer)
            } else if let number = try? container.decode(Double.self) {
                self = .number(number)
            } else {
                self = .string(try container.decode(String.self))
            }
        }

        /// Writes the JSON scalar.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .integer(let integer): try container.encode(integer)
            case .number(let number): try container.encode(number)
            case .boolean(let boolean): try container.encode(boolean)
            case .string(let text): try container.encode(text)
            }
        }

        /// The value as a scenario would write it.
        var optionValue: OptionValue {
            switch self {
            case .integer(let integer): .integer(integer)
            case .number(let number): .number(number)
            case .boolean(let boolean): .bool(boolean)
            case .string(let text): .string(text)
            }
        }
    }

    /// The key scenarios write: `workers`.
    public var key: String
    /// The type of its values.
    public var type: Kind
    /// Its value when a scenario does not write it.
    public var defaultValue: Value
    /// The lowest and highest value of an integer or a number, both included; `nil` for any.
    public var range: [Double]?
    /// What it does, in a few words.
    public var help: String

    private enum CodingKeys: String, CodingKey {
        case key, type, range, help
        case defaultValue = "default"
    }

    /// The keys of the `external` strategy itself, which no manifest option may take.
    static let reservedKeys: Set<String> = ["program", "phase_timeout"]

    /// What is wrong with the declaration, or `nil` when nothing is.
    func problem() -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_")
        guard !key.isEmpty, key.allSatisfy(allowed.contains) else {
            return "option key '\(key)' must be lower-case letters, digits and '_'"
        }
        if Self.reservedKeys.contains(key) { return "option key '\(key)' is the external strategy's own" }
        if let range {
            guard type == .integer || type == .number else {
                return "option '\(key)': only integer and number options take a 'range'"
            }
            guard range.count == 2, range[0] <= range[1] else {
                return "option '\(key)': 'range' must be [lowest, highest]"
            }
            if type == .integer, range.contains(where: { $0 != $0.rounded() }) {
                return "option '\(key)': an integer option's 'range' must be whole numbers"
            }
        }
        guard read(defaultValue.optionValue) != nil else {
            return "option '\(key)': its default must be \(expected)"
        }
        return nil
    }

    /// The value `written` stands for, or `nil` when it is not of the option's type and range.
    public func read(_ written: OptionValue) -> Value? {
        switch (type, written) {
        case (.integer, .integer(let integer)):
            return within(Double(integer)) ? .integer(integer) : nil
        case (.number, .integer(let integer)):
            return within(Double(integer)) ? .number(Double(integer)) : nil
        case (.number, .number(let number)):
            return number.isFinite && within(number) ? .number(number) : nil
        case (.boolean, .bool(let boolean)):
            return .boolean(boolean)
        case (.string, .string(let text)):
            return .string(text)
        case (.string, .integer(let integer)):
            return .string(String(integer))
        case (.string, .number(let number)):
            return .string(String(number))
        case (.string, .bool(let boolean)):
            return .string(String(boolean))
        case (.duration, .string(let text)):
            guard let duration = DurationSyntax.parse(text), duration >= .zero else { return nil }
            let (seconds, attoseconds) = duration.components
            let (whole, overflow) = Int(seconds).multipliedReportingOverflow(by: 1_000_000_000)
            return overflow ? nil : .integer(whole + Int(attoseconds / 1_000_000_000))
        default:
            return nil
        }
    }

    /// The integer or number within ``range``.
    private func within(_ number: Double) -> Bool {
        guard let range, range.count == 2 else { return true }
        return range[0] <= number && number <= range[1]
    }

    /// What a valid value looks like, completing "expected …": `an integer in 1...64`.
    public var expected: String {
        let bounds = range.flatMap { $0.count == 2 ? $0 : nil }
        switch type {
        case .integer:
            return "an integer" + (bounds.map { " in \(Int($0[0]))...\(Int($0[1]))" } ?? "")
        case .number:
            return "a number" + (bounds.map { " in \($0[0])...\($0[1])" } ?? "")
        case .boolean:
            return "true or false"
        case .string:
            return "a text"
        case .duration:
            return "a duration such as 100ms, 2s or 250us"
        }
    }

    /// A value as a scenario writes it: `4`, `10ms`.
    public func written(_ value: Value) -> String {
        switch (type, value) {
        case (.duration, .integer(let nanoseconds)): DurationFormat.short(.nanoseconds(nanoseconds))
        case (_, .integer(let integer)): String(integer)
        case (_, .number(let number)): String(number)
        case (_, .boolean(let boolean)): String(boolean)
        case (_, .string(let text)): text
        }
    }

    /// The value a program receives when a scenario does not write the option (a duration in nanoseconds).
    public var defaultReceived: Value { read(defaultValue.optionValue) ?? defaultValue }

    /// The option as `conlab strategies` lists it.
    public var optionHelp: OptionHelp {
        OptionHelp(key, "\(help) (\(expected); default \(written(defaultReceived)))")
    }
}
