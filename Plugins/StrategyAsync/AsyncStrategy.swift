public import ConlabCore

/// A child task per unit, fanned out and in with a task group (item 60's `asyncio.gather`).
///
/// Every wait suspends its task; no thread of the cooperative pool is ever blocked. Outputs are assembled
/// from the children's results, so no state is shared between tasks. The first failing unit cancels the
/// rest of its phase and its ``UnitFailure`` reaches the caller.
public struct AsyncStrategy: Strategy {
    /// `async`.
    public static let name = "async"
    /// `actor`, the name the chapter's comparison tables use.
    public static let aliases = ["actor"]
    /// What it does.
    public static let summary = "A child task per unit in a task group; waits suspend, never block a thread."

    /// Takes no options.
    public init(options: StrategyOptions) throws(OptionError) {
        try options.finish(strategy: Self.name)
    }

    /// A session; tasks need no set-up.
    public func makeSession(context: StrategyContext) async throws -> any StrategySession {
        AsyncSession()
    }
}

/// Fans a phase out to one child task per unit and gathers the outputs by index.
struct AsyncSession: StrategySession {
    var concurrency: Int? { nil }

    func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
        try await withThrowingTaskGroup(of: (Int, Batch.Unit.Output).self) { group in
            for index in 0..<batch.count {
                group.addTask {
                    (index, try await batch.unit(at: index).runSuspending())
                }
            }
            var outputs = [Batch.Unit.Output?](repeating: nil, count: batch.count)
            do {
                for try await (index, output) in group {
                    outputs[index] = output
                }
            } catch {
                group.cancelAll()
                throw error
            }
            return outputs.map { $0! }
        }
    }
}
