public import ConlabCore

/// A name of its own for a registered strategy with some options fixed: each strategy program a manifest
/// registers is the `external` strategy with `program: NAME`, and scenarios and `--strategies` may write just
/// `NAME` (`- python-serial`, or `- python-serial: { phase_timeout: 10s }`).
public struct StrategyPreset: Sendable {
    /// The name scenarios write.
    public var name: String
    /// The registered strategy that runs it.
    public var strategy: any Strategy.Type
    /// The options the name fixes, which a scenario may not write beside it.
    public var options: [String: OptionValue]
    /// What it does, in a line.
    public var summary: String
    /// The options a scenario may write beside the name.
    public var optionHelp: [OptionHelp]

    /// Creates a preset.
    public init(
        name: String,
        strategy: any Strategy.Type,
        options: [String: OptionValue],
        summary: String,
        optionHelp: [OptionHelp]
    ) {
        self.name = name
        self.strategy = strategy
        self.options = options
        self.summary = summary
        self.optionHelp = optionHelp
    }

    /// Whether `spec` is this preset's strategy: its type, labelled with the name (and any options it shows).
    public func matches(_ spec: StrategySpec) -> Bool {
        let label = spec.strategy.label
        return type(of: spec.strategy) == strategy && (label == name || label.hasPrefix(name + "("))
    }
}
