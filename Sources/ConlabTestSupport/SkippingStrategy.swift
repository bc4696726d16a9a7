public import ConlabCore
import Foundation

/// A real strategy that skips its waits: its session is the real one (the same concurrency, the same ideal
/// floor), but every phase's units run instantly, as if their I/O had not happened. To show that a time
/// below the floor is caught, for every strategy.
public struct SkippingStrategy: Strategy {
    /// `skipping`.
    public static let name = "skipping"
    /// What it does.
    public static let summary = "Opens the wrapped strategy's session, then runs every unit without its waits."

    /// The strategy whose session and floor are kept.
    public let wrapped: any Strategy

    /// Wraps `strategy`.
    public init(wrapping strategy: any Strategy) {
        wrapped = strategy
    }

    /// Not made from a scenario: it needs a strategy to wrap.
    public init(options: StrategyOptions) throws(OptionError) {
        throw OptionError(key: "strategy", location: .unknown, expected: "a strategy to wrap, in tests only")
    }

    /// The wrapped strategy's label, marked.
    public var label: String { "\(wrapped.label) (skipping waits)" }

    /// The wrapped strategy's session, with `process` workers from the built `conlab`.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        var context = context
        context.workerExecutable = ConlabBinary.executable.path
        return Session(real: try await wrapped.makeSession(context: context))
    }

    /// The wrapped strategy's estimate.
    public func estimate(context: StrategyContext) -> StrategyEstimate { wrapped.estimate(context: context) }

    struct Session: StrategySession {
        let real: any StrategySession

        var concurrency: Int? { real.concurrency }

        func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
            try (0..<batch.count).map { try batch.unit(at: $0).runInstantly().result.get() }
        }

        func idealDuration(of profile: PhaseProfile) -> Duration { real.idealDuration(of: profile) }

        func close() async { await real.close() }
    }
}
