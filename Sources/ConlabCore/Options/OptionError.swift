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

    /// `file:3:7: 'max_workers': expected an integer in 1...4096`.
    public var description: String { "\(location): '\(key)': expected \(expected)" }
}
