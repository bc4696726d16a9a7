public import ConlabCore

/// The strategies a run can use, by name: built once in `main` from one explicit list and passed down.
public struct StrategyRegistry: Sendable {
    /// The strategies, in listing order.
    public let strategies: [any Strategy.Type]

    /// Creates a registry. Names and aliases must be unique.
    public init(_ strategies: [any Strategy.Type]) {
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
}
