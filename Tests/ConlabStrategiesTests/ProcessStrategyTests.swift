import ConlabCore
import ConlabStrategies
import ConlabTestSupport
import ConlabWorkloads
import Foundation
import Testing

@testable import StrategyProcess

@Suite("Process strategy")
struct ProcessStrategyTests {
    @Test("Worker processes compute the same generations, and are all reaped at close")
    func reaped() async throws {
        let strategy = try ProcessStrategyFactory.make(workers: 3)
        let session = try await strategy.makeSession(
            context: StrategyContext(seed: 1, cores: 2, workerExecutable: ConlabBinary.executable.path)
        )
        #expect(session.concurrency == 3)
        // This session's own workers: other tests start children of this process too.
        let workers = try #require(session as? ProcessSession).workers.map(\.pid)
        #expect(workers.count == 3)
        #expect(ProcessTable.children().filter { workers.contains($0.pid) }.count == 3)
        let grid = LifePattern.random(density: 0.4).grid(rows: 6, columns: 6, seed: 2)
        let workload = LifeWorkload(
            initial: grid,
            generations: 3,
            io: LifeIO(
                steps: [.gameLogic],
                model: IOModel(latency: .fixed(.microseconds(100))),
                random: CounterRandom(seed: 2)
            )
        )
        var state = grid
        for phase in 0..<3 {
            let batch = workload.batch(phase: phase, from: state)
            state = workload.state(after: batch, outputs: try await session.run(batch))
            #expect(state == LifeRules.step(batch.grid))
        }
        await session.close()
        // Reaped: neither running nor a zombie any more.
        let left = ProcessTable.children().filter { workers.contains($0.pid) }
        #expect(left.isEmpty, "not reaped: \(left)")
    }

    @Test("A worker that dies is reported with the unit it was running; the run ends, no worker is left")
    func crash() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.url.appendingPathComponent("crash.jsonl").path
        let errors = Pipe()
        let process = try ConlabBinary.start(
            ["run", "scenarios/life-glider.yaml", "--strategies", "process", "--log", log, "--quiet"],
            errors: errors
        )
        // Find a worker (a child of that conlab) and kill it while it is inside a 100 ms unit.
        var victim: Int32?
        for _ in 0..<200 where victim == nil {
            try await Task.sleep(for: .milliseconds(20))
            victim = Self.workers(of: process.processIdentifier).first
        }
        let pid = try #require(victim)
        try await Task.sleep(for: .milliseconds(150))
        kill(pid, SIGKILL)
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("worker process \(pid) ended (signal 9"), "\(text.split(separator: "\n").dropFirst())")
        #expect(text.contains("while running generation"))
        #expect(message.contains("1 of 1 results incorrect or not as expected"))
        #expect(Self.workers(of: process.processIdentifier).isEmpty)
    }

    /// Live (not zombie) children of `parent`.
    private static func workers(of parent: Int32) -> [Int32] {
        ProcessTable.children(of: parent).filter { $0.state != "Z" }.map(\.pid)
    }
}

enum ProcessStrategyFactory {
    static func make(workers: Int) throws -> any Strategy {
        let type = try #require(BuiltInStrategies.registry.strategy(named: "process"))
        return try type.init(
            options: StrategyOptions(["workers": .init(value: .integer(workers), location: .unknown)])
        )
    }
}
