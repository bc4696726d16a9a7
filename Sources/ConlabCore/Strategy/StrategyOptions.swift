/// The options written next to a strategy's name in a scenario, e.g. `pool: { max_workers: 10 }`.
///
/// A strategy reads what it understands with the typed accessors, which fail with an ``OptionError``
/// naming the key, its location in the file and the expected form; ``finish()`` then rejects any key the
/// strategy did not read, so a typo is an error, never silently ignored.
public struct StrategyOptions: Sendable {
    /// One option as written.
    public struct Entry: Sendable, Hashable {
        /// The value.
        public var value: OptionValue
        /// Where it was written.
        public var location: SourceLocation

        /// Creates an entry.
        public init(value: OptionValue, location: SourceLocation) {
            self.value = value
            self.location = location
        }
    }

    /// The options by key.
    public private(set) var entries: [String: Entry]
    /// Where the strategy entry itself was written; used for errors about missing options.
    public var location: SourceLocation
    private var read: Set<String> = []

    /// Creates options.
    public init(_ entries: [String: Entry] = [:], location: SourceLocation = .unknown) {
        self.entries = entries
        self.location = location
    }

    /// An integer option within `range`, or `defaultValue` when absent.
    public mutating func integer(
        _ key: String,
        default defaultValue: Int,
        in range: ClosedRange<Int> = Int.min...Int.max
    ) throws(OptionError) -> Int {
        read.insert(key)
        guard let entry = entries[key] else { return defaultValue }
        guard case .integer(let value) = entry.value, range.contains(value) else {
            throw OptionError(key: key, location: entry.location, expected: "an integer in \(Self.describe(range))")
        }
        return value
    }

    /// A duration option (`10ms`), or `defaultValue` when absent.
    public mutating func duration(_ key: String, default defaultValue: Duration) throws(OptionError) -> Duration {
        read.insert(key)
        guard let entry = entries[key] else { return defaultValue }
        guard case .string(let text) = entry.value, let value = DurationSyntax.parse(text), value >= .zero else {
            throw OptionError(key: key, location: entry.location, expected: "a duration such as 100ms, 2s or 250us")
        }
        return value
    }

    /// A size in bytes (`262144`, `256KiB`, `8MiB`, `1GiB`) of at least `minimum`, or `defaultValue` when absent.
    public mutating func bytes(_ key: String, default defaultValue: Int, minimum: Int = 0) throws(OptionError) -> Int {
        read.insert(key)
        guard let entry = entries[key] else { return defaultValue }
        let text: String
        switch entry.value {
        case .integer(let value): text = String(value)
        case .string(let value): text = value
        default: text = ""
        }
        let units: [(String, Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("B", 1), ("", 1)]
        for (suffix, size) in units where text.hasSuffix(suffix) {
            if let number = Int(text.dropLast(suffix.count)), number >= 0, number <= Int.max / size,
                number * size >= minimum
            {
                return number * size
            }
            break
        }
        throw OptionError(
            key: key,
            location: entry.location,
            expected: "a size of at least \(minimum) bytes, as bytes or with KiB, MiB or GiB (e.g. 256KiB)"
        )
    }

    /// A boolean option, or `defaultValue` when absent.
    public mutating func bool(_ key: String, default defaultValue: Bool) throws(OptionError) -> Bool {
        read.insert(key)
        guard let entry = entries[key] else { return defaultValue }
        guard case .bool(let value) = entry.value else {
            throw OptionError(key: key, location: entry.location, expected: "true or false")
        }
        return value
    }

    /// A string option that must be one of `choices`, or `defaultValue` when absent.
    public mutating func choice(
        _ key: String,
        of choices: [String],
        default defaultValue: String
    ) throws(OptionError)
        -> String
    {
        read.insert(key)
        guard let entry = entries[key] else { return defaultValue }
        guard case .string(let value) = entry.value, choices.contains(value) else {
            throw OptionError(key: key, location: entry.location, expected: "one of " + choices.joined(separator: ", "))
        }
        return value
    }

    /// Fails on the first key no accessor read: an option this strategy does not have.
    public func finish(strategy: String) throws(OptionError) {
        for key in entries.keys.sorted() where !read.contains(key) {
            let entry = entries[key]!
            throw OptionError(
                key: key,
                location: entry.location,
                expected: "no option '\(key)' for strategy '\(strategy)'",
                isUnknownKey: true
            )
        }
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        switch (range.lowerBound, range.upperBound) {
        case (Int.min, Int.max): "any range"
        case (let low, Int.max): "\(low)..."
        default: "\(range.lowerBound)...\(range.upperBound)"
        }
    }
}

/// The value of one strategy option.
public enum OptionValue: Sendable, Hashable {
    /// An integer, e.g. `10`.
    case integer(Int)
    /// A number with a fraction, e.g. `0.5`.
    case number(Double)
    /// `true` or `false`.
    case bool(Bool)
    /// Any other scalar, e.g. `10ms` or `blocking`.
    case string(String)
}

/// An option a strategy does not accept, or accepts in another form.
public struct OptionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The option's key.
    public var key: String
    /// Where it was written.
    public var location: SourceLocation
    /// The form that would have been right.
    public var expected: String
    /// Whether the key itself is unknown (rather than its value wrong).
    public var isUnknownKey: Bool

    /// Creates an error.
    public init(key: String, location: SourceLocation, expected: String, isUnknownKey: Bool = false) {
        self.key = key
        self.location = location
        self.expected = expected
        self.isUnknownKey = isUnknownKey
    }

    /// `file:3:7: 'max_workers': expected an integer in 1...`.
    public var description: String { "\(location): '\(key)': expected \(expected)" }
}

/// One option a strategy understands, for listings.
public struct OptionHelp: Sendable, Hashable {
    /// The key.
    public var key: String
    /// What it does and its default.
    public var summary: String

    /// Creates a help entry.
    public init(_ key: String, _ summary: String) {
        self.key = key
        self.summary = summary
    }
}
