public import ConlabCore

/// One unit after another on one thread of its own: the reference every other strategy is checked against.
///
/// Each wait blocks that thread in `clock_nanosleep`, as the seed's serial `simulate` blocks in `recv`.
public struct SerialStrategy: Strategy {
    /// `serial`.
    public static let name = "serial"
    /// What it does.
    public static let summary = "One unit after another on a single thread that blocks in every wait (the reference)."

    /// Takes no options.
    public init(options: StrategyOptions) throws(OptionError) {
        try options.finish(strategy: Self.name)
    }

    /// A session that runs each phase on a fresh thread.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        SerialSession()
    }
}

/// Runs a phase's units in order on one dedicated OS thread.
struct SerialSession: StrategySession {
    var concurrency: Int? { 1 }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        try await OSThread.run(name: "conlab-serial") { cancellation in
            var outputs: [Batch.Unit.Output] = []
            outputs.reserveCapacity(batch.count)
            for index in 0..<batch.count {
                if cancellation.isRaised { throw CancellationError() }
                outputs.append(try batch.unit(at: index).runBlocking())
            }
            return outputs
        }
    }
}
