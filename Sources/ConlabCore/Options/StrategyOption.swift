/// One option of a strategy, declared once: its key, the form and default of its value, whether it shows in
/// the label, and what it does. Listings, parsing, the label and the docs table all come from it.
///
/// An option either has a default value, or is `unset` until a scenario writes it: then its value is
/// optional, `nil` when not written, and `unset` says what the strategy does instead.
///
/// ```swift
/// public struct PoolStrategy: Strategy {
///     static let maxWorkersOption = StrategyOption<Int>(
///         "max_workers", .integer(in: 1...4096), default: 10, inLabel: .always, help: "threads in the pool")
///     static let stackSizeOption = StrategyOption<Int?>(
///         "stack_size", .bytes(minimum: 64 * 1024), unset: "the system's", help: "stack size of each thread")
///     public static let options: [any OptionDeclaration] = [maxWorkersOption, stackSizeOption]
///
///     public let maxWorkers: Int
///     public let stackSize: Int?
///     public let label: String  // pool(max_workers: 10)
///
///     public init(options: StrategyOptions) throws(OptionError) {
///         let values = try options.values(for: Self.self)
///         maxWorkers = values[Self.maxWorkersOption]
///         stackSize = values[Self.stackSizeOption]
///         label = values.label(Self.name)
///     }
/// }
/// ```
public struct StrategyOption<Value: Sendable & Equatable>: OptionDeclaration {
    /// The key scenarios write: `max_workers`.
    public let key: String
    /// What the option does, in a few words: `threads in the pool, exactly`.
    public let help: String
    /// The value when a scenario does not write the option; `nil` for an option declared `unset`.
    public let defaultValue: Value
    /// When the option shows in the strategy's label.
    public let inLabel: OptionLabeling
    /// What a valid value looks like, for errors: `an integer in 1...4096`.
    public let expected: String
    private let formSummary: String
    /// The default for listings and for the docs: `default 10` and ``default `10` ``, or `default: one per core`.
    private let byDefault: (summary: String, markdown: String)
    private let parse: @Sendable (OptionValue) -> Value?
    /// A value as a scenario writes it; `nil` for an unset option's `nil`.
    private let write: @Sendable (Value) -> String?

    /// Declares an option that has a default value.
    public init(
        _ key: String,
        _ form: OptionForm<Value>,
        default defaultValue: Value,
        inLabel: OptionLabeling = .never,
        help: String
    ) {
        self.key = key
        self.help = help
        self.defaultValue = defaultValue
        self.inLabel = inLabel
        self.expected = form.expected
        self.formSummary = form.summary
        let written = form.write(defaultValue)
        self.byDefault = ("default \(written)", "default `\(written)`")
        self.parse = form.read
        self.write = form.write
    }

    /// Declares an option that is `nil` unless a scenario writes it; `unset` says what the strategy does then:
    /// `one per core`.
    public init<Wrapped>(
        _ key: String,
        _ form: OptionForm<Wrapped>,
        unset: String,
        inLabel: OptionLabeling = .never,
        help: String
    ) where Value == Wrapped? {
        self.key = key
        self.help = help
        self.defaultValue = nil
        self.inLabel = inLabel
        self.expected = form.expected
        self.formSummary = form.summary
        self.byDefault = ("default: \(unset)", "default: \(unset)")
        self.parse = { form.read($0).map { .some($0) } }
        self.write = { $0.map(form.write) }
    }

    /// `threads in the pool, exactly (an integer in 1...4096; default 10)`, or with `default: one per core`.
    public var summary: String { "\(help) (\(formSummary); \(byDefault.summary))" }

    /// `` `max_workers` (default `10`) ``, or `` `loops` (default: one per core) ``.
    public var markdown: String { "`\(key)` (\(byDefault.markdown))" }

    /// Reads the value written for `key` in `options`, or the default.
    public func read(from options: StrategyOptions, into values: inout OptionValues) throws(OptionError) {
        var value = defaultValue
        if let entry = options.entries[key] {
            guard let written = parse(entry.value) else {
                throw OptionError(key: key, location: entry.location, expected: expected)
            }
            value = written
        }
        let shown =
            switch inLabel {
            case .always: true
            case .unlessDefault: value != defaultValue
            case .never: false
            }
        values.record(key: key, value: value, labelPart: shown ? write(value).map { "\(key): \($0)" } : nil)
    }
}
