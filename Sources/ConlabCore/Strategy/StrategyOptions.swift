/// The options written next to a strategy's name in a scenario, e.g. `pool: { max_workers: 10 }`.
///
/// A strategy declares the options it understands once, as ``StrategyOption``s listed in
/// ``Strategy/options``, and reads them all with ``values(for:)``: each value is checked against its
/// declaration, and a key the strategy does not declare is an error, never silently ignored.
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

    /// Creates options.
    public init(_ entries: [String: Entry] = [:], location: SourceLocation = .unknown) {
        self.entries = entries
        self.location = location
    }

    /// The value of every option `strategy` declares, each as written or its default.
    ///
    /// Options are read in the order they are declared, and the first that is wrong is thrown, with its key,
    /// where it was written and the form that would be right; then the first key, in alphabetical order,
    /// that `strategy` does not declare is thrown as an unknown key.
    public func values<S: Strategy>(for strategy: S.Type) throws(OptionError) -> OptionValues {
        var values = OptionValues()
        for option in S.options {
            try option.read(from: self, into: &values)
        }
        let declared = Set(S.options.map(\.key))
        for key in entries.keys.sorted() where !declared.contains(key) {
            throw OptionError(
                key: key,
                location: entries[key]!.location,
                expected: "no option '\(key)' for strategy '\(S.name)'",
                isUnknownKey: true
            )
        }
        return values
    }
}
