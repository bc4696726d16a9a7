/// How the value of an option is written in a scenario: what is accepted, and how a value is written back
/// in labels and listings.
///
/// The built-in forms are ``integer(in:)``, ``bytes(minimum:)``, ``bool``, ``duration`` and ``choice(_:)``;
/// a strategy that needs another makes it with ``init(expected:summary:read:write:)``.
public struct OptionForm<Value: Sendable & Equatable>: Sendable {
    /// What a valid value looks like, completing "expected …" in an error: `an integer in 1...4096`.
    public let expected: String
    /// The same, short enough for `conlab strategies`: `a size such as 256KiB, at least 64KiB`.
    public let summary: String
    let read: @Sendable (OptionValue) -> Value?
    let write: @Sendable (Value) -> String

    /// Creates a form.
    /// - Parameters:
    ///   - expected: what a valid value looks like, for errors.
    ///   - summary: the same in a few words, for listings; `expected` when `nil`.
    ///   - read: the value a scenario's scalar stands for, or `nil` when it is not valid.
    ///   - write: a value as a scenario would write it, for labels and listings.
    public init(
        expected: String,
        summary: String? = nil,
        read: @escaping @Sendable (OptionValue) -> Value?,
        write: @escaping @Sendable (Value) -> String
    ) {
        self.expected = expected
        self.summary = summary ?? expected
        self.read = read
        self.write = write
    }
}

extension OptionForm where Value == Int {
    /// An integer within `range`: `10`.
    public static func integer(in range: ClosedRange<Int>) -> Self {
        let bounds =
            switch (range.lowerBound, range.upperBound) {
            case (Int.min, Int.max): "any range"
            case (let low, Int.max): "\(low)..."
            default: "\(range.lowerBound)...\(range.upperBound)"
            }
        return OptionForm(
            expected: "an integer in \(bounds)",
            read: { value in
                guard case .integer(let integer) = value, range.contains(integer) else { return nil }
                return integer
            },
            write: { String($0) }
        )
    }

    /// A size in bytes of at least `minimum`: `262144`, `256KiB`, `8MiB`, `1GiB`.
    public static func bytes(minimum: Int = 0) -> Self {
        OptionForm(
            expected: "a size of at least \(minimum) bytes, as bytes or with KiB, MiB or GiB (e.g. 256KiB)",
            summary: "a size such as 256KiB" + (minimum > 0 ? ", at least \(writeBytes(minimum))" : ""),
            read: { value in
                let text: String
                switch value {
                case .integer(let integer): text = String(integer)
                case .string(let string): text = string
                default: return nil
                }
                // The first suffix the text has decides, longest first, so that "256KiB" is not read as "256Ki" + "B".
                for (suffix, size) in byteUnits + [("B", 1), ("", 1)] where text.hasSuffix(suffix) {
                    guard let number = Int(text.dropLast(suffix.count)), number >= 0, number <= Int.max / size,
                        number * size >= minimum
                    else { return nil }
                    return number * size
                }
                return nil
            },
            write: writeBytes
        )
    }

    private static let byteUnits = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)]

    /// The largest unit that writes `bytes` exactly: `512KiB`, `1GiB`, `1000`.
    @Sendable private static func writeBytes(_ bytes: Int) -> String {
        guard bytes > 0, let (suffix, size) = byteUnits.first(where: { bytes % $0.1 == 0 }) else {
            return String(bytes)
        }
        return "\(bytes / size)\(suffix)"
    }
}

extension OptionForm where Value == Bool {
    /// `true` or `false`.
    public static var bool: Self {
        OptionForm(
            expected: "true or false",
            read: { value in
                guard case .bool(let bool) = value else { return nil }
                return bool
            },
            write: { String($0) }
        )
    }
}

extension OptionForm where Value == Duration {
    /// A duration that is not negative: `100ms`, `2s`, `250us`.
    public static var duration: Self {
        OptionForm(
            expected: "a duration such as 100ms, 2s or 250us",
            read: { value in
                guard case .string(let text) = value, let duration = DurationSyntax.parse(text), duration >= .zero
                else { return nil }
                return duration
            },
            write: DurationFormat.short
        )
    }
}

extension OptionForm where Value == String {
    /// One of `choices`, written as it is.
    public static func choice(_ choices: [String]) -> Self {
        OptionForm(
            expected: "one of " + choices.joined(separator: ", "),
            read: { value in
                guard case .string(let text) = value, choices.contains(text) else { return nil }
                return text
            },
            write: { $0 }
        )
    }
}
