public import ConlabCore

/// The strategies a run can use, by name: built once in `main` from one explicit list and passed down.
public struct StrategyRegistry: Sendable {
    /// The strategies, in listing order.
    public let strategies: [any Strategy.Type]
    /// Finds the presets when a name is looked up: they come from files (strategy manifests) that a run may
    /// change, and from command-line options read after the registry is built.
    private let findPresets: @Sendable () -> [StrategyPreset]

    /// Creates a registry. Names and aliases must be unique; a preset whose name is a strategy's is not
    /// reachable by that name.
    public init(_ strategies: [any Strategy.Type], presets: @escaping @Sendable () -> [StrategyPreset] = { [] }) {
        findPresets = presets
        var seen: Set<String> = []
        for strategy in strategies {
            for name in [strategy.name] + strategy.aliases {
                precondition(seen.insert(name).inserted, "strategy name '\(name)' is registered twice")
            }
        }
        self.strategies = strategies
    }

    /// The strategy with this name or alias.
    public func strategy(named name: String) -> (any Strategy.Type)? {
        strategies.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// Every registered name, without aliases.
    public var names: [String] { strategies.map { $0.name } }

    /// The presets, those whose name a strategy has left out.
    public var presets: [StrategyPreset] {
        findPresets().filter { strategy(named: $0.name) == nil }
    }

    /// The preset of this name, when no strategy has it.
    public func preset(named name: String) -> StrategyPreset? {
        strategy(named: name) == nil ? findPresets().first { $0.name == name } : nil
    }

    /// Every name a scenario may write: the strategies', then the presets'.
    public var allNames: [String] { names + presets.map(\.name) }
}
