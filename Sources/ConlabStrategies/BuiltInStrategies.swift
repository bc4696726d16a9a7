public import ConlabCore
public import ConlabScenario
import StrategyAsync
import StrategyLoop
import StrategyNIO
import StrategyPool
import StrategyProcess
import StrategyQueue
import StrategySerial
import StrategyThread

/// The one list of strategies conlab ships. Adding a strategy: a folder under `Plugins/`, a target in
/// `Package.swift`, and one line here (`RegistryTests` fails when a `Plugins/Strategy*` folder is missing).
public enum BuiltInStrategies {
    /// Every built-in strategy, in the order listings show them.
    public static let all: [any Strategy.Type] = [
        SerialStrategy.self,
        ThreadStrategy.self,
        QueueStrategy.self,
        PoolStrategy.self,
        AsyncStrategy.self,
        LoopStrategy.self,
        NIOStrategy.self,
        ProcessStrategy.self,
    ]

    /// A registry of ``all``.
    public static var registry: StrategyRegistry { StrategyRegistry(all) }
}
