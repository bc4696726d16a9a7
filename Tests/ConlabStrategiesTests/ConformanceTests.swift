import ConlabCore
import ConlabStrategies
import ConlabTestSupport
import Testing

@Suite("Strategy conformance")
struct ConformanceTests {
    @Test(
        "Every registered strategy passes the shared conformance check",
        arguments: BuiltInStrategies.all.map { $0.name }
    )
    func conformance(name: String) async throws {
        let type = try #require(BuiltInStrategies.registry.strategy(named: name))
        let strategy = try type.init(options: StrategyOptions())
        let problems = await StrategyConformance.problems(of: strategy)
        #expect(problems.isEmpty, "\(problems)")
    }

    /// A strategy that gets a cell wrong, to show the check is not vacuous.
    struct Liar: Strategy {
        static let name = "liar"
        static let summary = "Flips the first cell of every phase."
        init(options: StrategyOptions) throws(OptionError) {}
        func makeSession(context: StrategyContext) async throws -> any StrategySession { Session() }

        struct Session: StrategySession {
            var concurrency: Int? { 1 }
            func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
                var outputs: [Batch.Unit.Output] = []
                for index in 0..<batch.count {
                    outputs.append(try batch.unit(at: index).runInstantly().result.get())
                }
                if let flipped = (outputs.first as? Bool).map({ !$0 }) as? Batch.Unit.Output {
                    outputs[0] = flipped
                }
                return outputs
            }
        }
    }

    @Test("The conformance check catches a wrong strategy")
    func catchesLiar() async throws {
        let problems = await StrategyConformance.problems(of: try Liar(options: StrategyOptions()))
        #expect(problems.contains { $0.contains("differs from the reference") })
    }
}
