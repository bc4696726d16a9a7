import ConlabConformance
import ConlabCore
import ConlabStrategies
import ConlabTestSupport
import Foundation
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
        let problems = await StrategyConformance.problems(
            of: strategy,
            workerExecutable: ConlabBinary.executable.path
        )
        #expect(problems.isEmpty, "\(problems)")
    }

    @Test("The conformance check catches a wrong strategy")
    func catchesWrongStrategy() async throws {
        let problems = await StrategyConformance.problems(of: try WrongStrategy(options: StrategyOptions()))
        #expect(problems.contains { $0.contains("differs from the reference") })
    }
}
