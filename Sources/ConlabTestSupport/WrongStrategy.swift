public import ConlabCore

/// A strategy that gets the first unit of every phase wrong, to show that checks are not vacuous.
public struct WrongStrategy: Strategy {
    /// `wrong`.
    public static let name = "wrong"
    /// What it does.
    public static let summary = "Runs every unit, then flips the first cell of each phase."

    /// Takes no options.
    public init(options: StrategyOptions) throws(OptionError) {}

    /// A session that lies.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession { Session() }

    /// Like serial: one unit at a time on one thread.
    public func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: 1, schedule: .units(concurrency: 1))
    }

    struct Session: StrategySession {
        var concurrency: Int? { 1 }

        func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
            var outputs = try (0..<batch.count).map { try batch.unit(at: $0).runInstantly().result.get() }
            if let flipped = (outputs.first as? Bool).map({ !$0 }) as? Batch.Unit.Output { outputs[0] = flipped }
            return outputs
        }
    }
}
