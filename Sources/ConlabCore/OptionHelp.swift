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
