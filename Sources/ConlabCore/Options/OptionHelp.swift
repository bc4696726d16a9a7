/// One option a strategy understands, as `conlab strategies` lists it; derived from its ``StrategyOption``.
public struct OptionHelp: Sendable, Hashable {
    /// The key.
    public var key: String
    /// What it does, the form of its value and its default (``OptionDeclaration/summary``).
    public var summary: String

    /// Creates a help entry.
    public init(_ key: String, _ summary: String) {
        self.key = key
        self.summary = summary
    }
}
