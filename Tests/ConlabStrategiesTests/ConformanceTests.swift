import ConlabConformance
import ConlabCore
import ConlabScenario
import ConlabStrategies
import ConlabTestSupport
import ConlabToolkit
import Foundation
import Synchronization
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

    @Test("The conformance check catches a wrong strategy, and one that accepts options it does not know")
    func catchesWrongStrategy() async throws {
        let problems = await StrategyConformance.problems(of: try WrongStrategy(options: StrategyOptions()))
        #expect(problems.contains { $0.contains("differs from the reference") }, "\(problems)")
        #expect(problems.contains { $0.contains("accepted an unknown option") }, "\(problems)")
    }

    @Test("The conformance check catches a strategy that skips its waits: modelled, child processes, blocking calls")
    func catchesSkippedWaits() async throws {
        let serial = try #require(BuiltInStrategies.registry.strategy(named: "serial"))
        let problems = await StrategyConformance.problems(
            of: SkippingStrategy(wrapping: try serial.init(options: StrategyOptions()))
        )
        #expect(problems.contains { $0.contains("under the ideal") }, "\(problems)")
        // The skipped external waits: no child was started, no poll blocked.
        #expect(problems.contains { $0.contains("on child processes: 0 of 6 jobs ran") }, "\(problems)")
        #expect(problems.contains { $0.contains("under the 20 ms each call blocks") }, "\(problems)")
    }

    @Test("The conformance check catches a strategy that runs on after its phase is cancelled")
    func catchesIgnoredCancellation() async throws {
        let problems = await StrategyConformance.problems(of: try StubbornStrategy(options: StrategyOptions()))
        #expect(
            problems.contains { $0.contains("over a second: it starts units after it is cancelled") },
            "\(problems)"
        )
        #expect(problems.count == 1, "\(problems)")
    }

    @Test("A strategy that throws something unexpected is reported, and every session it made is closed")
    func closesSessionsOnUnexpectedErrors() async throws {
        let problems = await StrategyConformance.problems(of: try ThrowingStrategy(options: StrategyOptions()))
        #expect(problems.contains { $0.contains("unexpected error") }, "\(problems)")
        let counts = ThrowingStrategy.counts.withLock { $0 }
        #expect(counts.made > 0)
        #expect(counts.closed == counts.made, "\(counts.made) sessions made, \(counts.closed) closed")
    }

    @Test("The conformance check catches declarations that are not the truth")
    func catchesFalseDeclarations() async throws {
        let problems = await StrategyConformance.problems(of: try BoastingStrategy(options: StrategyOptions()))
        #expect(problems.contains { $0.contains("makeSession refused 50000000 units, which estimate accepts") })
        #expect(problems.contains { $0.contains("its estimate states a concurrency of 4, its session every unit") })
        #expect(problems.contains { $0.contains("it runs fewer units at once than it says") }, "\(problems)")
        #expect(problems.contains { $0.contains("reported 0 units' timings of") }, "\(problems)")
        #expect(!problems.contains { $0.contains("unknown option") }, "\(problems)")
    }
}

/// Throws an error of its own from every phase and pipeline, and counts the sessions it made and closed.
private struct ThrowingStrategy: Strategy {
    static let name = "throwing"
    static let summary = "Throws what no strategy should."
    static let supportedShapes: Set<WorkloadShape> = [.phased, .pipeline]

    struct Broken: Error {}

    /// Sessions made, and sessions closed.
    static let counts = Mutex((made: 0, closed: 0))

    init(options: StrategyOptions) throws(OptionError) {
        _ = try options.values(for: Self.self)
    }

    func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: 0, schedule: .units(concurrency: nil))
    }

    func makeSession(context: StrategyContext) async throws -> any StrategySession {
        Self.counts.withLock { $0.made += 1 }
        return Session()
    }

    struct Session: StrategySession {
        var concurrency: Int? { nil }

        func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] { throw Broken() }

        func runPipeline<Work: PipelineWork>(_ work: Work, recorder: PipelineRecorder) async throws {
            throw Broken()
        }

        func close() async { ThrowingStrategy.counts.withLock { $0.closed += 1 } }
    }
}

/// Runs its units one after another on a detached task, which its caller's cancellation never reaches:
/// a cancelled phase runs to its end.
private struct StubbornStrategy: Strategy {
    static let name = "stubborn"
    static let summary = "Ignores cancellation."

    init(options: StrategyOptions) throws(OptionError) {
        _ = try options.values(for: Self.self)
    }

    func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: 0, schedule: .units(concurrency: 1))
    }

    func makeSession(context: StrategyContext) async throws -> any StrategySession {
        Session(context: context)
    }

    struct Session: StrategySession {
        let context: StrategyContext
        var concurrency: Int? { 1 }

        func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
            let context = self.context
            return try await Task.detached {
                var outputs: [Batch.Unit.Output] = []
                for index in 0..<batch.count {
                    outputs.append(
                        try await batch.unit(at: index).runSuspending(
                            using: context.services,
                            reportingTo: context.unitTimings
                        )
                    )
                }
                return outputs
            }.value
        }

        func close() async {}
    }
}

/// Says one thing and does another: its estimate states four units at once and accepts any plan, its session
/// claims every unit at once, runs them one after another (serial's session) without reporting their
/// timings, and refuses big plans.
private struct BoastingStrategy: Strategy {
    static let name = "boasting"
    static let summary = "States more than it does."

    init(options: StrategyOptions) throws(OptionError) {
        _ = try options.values(for: Self.self)
    }

    func estimate(context: StrategyContext) -> StrategyEstimate {
        StrategyEstimate(threads: 4, schedule: .units(concurrency: 4))
    }

    func makeSession(context: StrategyContext) async throws -> any StrategySession {
        if context.plan.largestPhase > 1000 { throw StrategyRefusal("too many units") }
        let serial = try #require(BuiltInStrategies.registry.strategy(named: "serial"))
        var unreported = context
        unreported.unitTimings = nil
        return Session(real: try await serial.init(options: StrategyOptions()).makeSession(context: unreported))
    }

    struct Session: StrategySession {
        let real: any StrategySession
        var concurrency: Int? { nil }

        func run<Batch: UnitBatch>(_ batch: Batch) async throws -> [Batch.Unit.Output] {
            try await real.run(batch)
        }

        func close() async { await real.close() }
    }
}
