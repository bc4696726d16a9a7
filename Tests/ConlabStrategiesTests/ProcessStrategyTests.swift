import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabScenario
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
            context: StrategyContext(
                seed: 1,
                cores: 2,
                workerExecutable: ConlabBinary.executable.path,
                services: TestServices.waits
            )
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

    @Test(
        "With a chunk queued behind each running one, the first failure in unit order is raised, as in serial",
        arguments: [1, 2],
        [nil, 1, 3]
    )
    func firstFailure(workers: Int, chunkSize: Int?) async throws {
        // Seed 3 makes several cells of generation 0 fail. Every reply, a queued unit's too, is read
        // before a feeder stops, so the same workers then run a clean phase in step.
        let grid = LifePattern.named(.glider, row: 0, column: 2).grid(rows: 5, columns: 9, seed: 0)
        func workload(failureRate: Double) -> LifeWorkload {
            let model = IOModel(latency: .fixed(.milliseconds(1)), failureRate: failureRate)
            return LifeWorkload(
                initial: grid,
                generations: 2,
                io: LifeIO(steps: [.gameLogic], model: model, random: CounterRandom(seed: 3))
            )
        }
        let failing = workload(failureRate: 0.2).batch(phase: 0, from: grid)
        let expected = try #require(failing.referenceFailures.first)
        let strategy = try ProcessStrategyFactory.make(workers: workers, chunkSize: chunkSize)
        let session = try await strategy.makeSession(
            context: StrategyContext(
                seed: 3,
                cores: 2,
                workerExecutable: ConlabBinary.executable.path,
                services: TestServices.waits
            )
        )
        await #expect(throws: expected) { _ = try await session.run(failing) }
        let clean = workload(failureRate: 0).batch(phase: 0, from: grid)
        let state = workload(failureRate: 0).state(after: clean, outputs: try await session.run(clean))
        #expect(state == LifeRules.step(grid))
        await session.close()
    }

    @Test(
        "A worker that dies is reported with the unit it was running; the run ends, no worker is left",
        // Not a race report: under TSan beside the whole suite (three runs) the test never found the conlab it
        // started to have a worker in /proc; alone under TSan it passes. Left open in docs/thread-sanitizer.md.
        .disabled(if: TimingAllowance.underThreadSanitizer, "finds no worker under TSan beside the whole suite")
    )
    func crash() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let log = folder.url.appendingPathComponent("crash.jsonl").path
        let errors = Pipe()
        // Forty generations, not the glider's four: the kill ends the run as soon as it lands, and a test that
        // starts late (every unit test of the suite starts at once, and sync ones hold the pool's threads for
        // seconds) still finds the run going. With four, a clean CI run once found no worker at all.
        let process = try ConlabBinary.start(
            [
                "run", "scenarios/life-glider.yaml", "--strategies", "process", "--set", "workload.generations=40",
                "--set", "expect={}", "--log", log, "--quiet",
            ],
            errors: errors
        )
        // Stop a worker and kill it only if it stopped inside a unit's modelled wait; otherwise let it go on and
        // try again. The kill then lands inside a unit however late this test gets to run (a busy test pool can
        // hold it for seconds), never in the idle moment between a worker's last unit and the next phase.
        // Under ThreadSanitizer, beside the rest of the suite, 400 tries were not enough: more tries then.
        var victim: Int32?
        var seen: [Int: Int] = [:]  // how often each system call (-1: none readable) was found, if none fits
        let (tries, stopChecks) = (Int(400 * TimingAllowance.factor), Int(1000 * TimingAllowance.factor))
        for _ in 0..<tries where victim == nil {
            try await Task.sleep(for: .milliseconds(20))
            for pid in Self.workers(of: process.processIdentifier) where victim == nil {
                guard kill(pid, SIGSTOP) == 0 else { continue }
                for _ in 0..<stopChecks where ProcessTable.state(of: pid).map({ $0 != "T" }) ?? false { usleep(100) }
                let call = ProcessTable.systemCall(of: pid)
                seen[call ?? -1, default: 0] += 1
                if call == Self.clockNanosleep {
                    kill(pid, SIGKILL)
                    victim = pid
                } else {
                    kill(pid, SIGCONT)
                }
            }
        }
        if victim == nil { process.terminate() }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let pid = try #require(victim, "no worker caught in a wait; system calls seen \(seen); conlab: \(message)")
        #expect(process.terminationStatus == 1)
        let text = try String(contentsOfFile: log, encoding: .utf8)
        #expect(text.contains("worker process \(pid) ended (signal 9"), "\(text.split(separator: "\n").dropFirst())")
        // The unit itself, noted by the worker as it started it, not only the chunk it was in.
        #expect(text.contains(/while running generation \d+, cell \(\d+, \d+\)/))
        #expect(message.contains("1 of 1 results incorrect or not as expected"))
        #expect(Self.workers(of: process.processIdentifier).isEmpty)
    }

    @Test("A worker ignores SIGINT, which is its parent's to act on, and ends on SIGTERM, when its parent tells it to")
    func workerSignals() throws {
        // Started as the strategy starts it, with both signals at their default action: a test runner may
        // ignore them, and a child would inherit that.
        let worker = try ChildProcess.spawn(ConlabBinary.executable.path, arguments: ["worker"])
        let batch = CPUWorkload(tasks: [.factorize(12), .gcd(84, 36)], rounds: 1).batch(phase: 0, from: [])
        let payload = String(decoding: try JSONEncoder().encode(batch), as: UTF8.self)
        #expect(WorkerMessage.batch(kind: CPUBatch.batchKind, payload: payload).write(to: worker.input))
        func answer(_ index: Int) throws -> [Int]? {
            guard WorkerMessage.run(first: index, count: 1).write(to: worker.input),
                case .outputs(index, let replies) = WorkerMessage.read(from: worker.output), let reply = replies.first
            else { return nil }
            return try JSONDecoder().decode([Int].self, from: Data(reply.utf8))
        }
        // An answer first: the worker is past its start, where a signal would still meet the default action.
        #expect(try answer(0) == [1, 2, 3, 4, 6, 12])
        worker.kill(SIGINT)
        #expect(try answer(1) == [12])
        worker.kill(SIGTERM)
        // Gone by itself, before its input is closed (which would end it too).
        for _ in 0..<500 where ProcessTable.state(of: worker.pid) != "Z" { usleep(10_000) }
        #expect(ProcessTable.state(of: worker.pid) == "Z")
        #expect(worker.wait() == .signalled(SIGTERM))
    }

    @Test("A worker whose input ends exits 0")
    func workerInputEnds() throws {
        let worker = try ChildProcess.spawn(ConlabBinary.executable.path, arguments: ["worker"])
        #expect(worker.wait() == .exited(0))
    }

    @Test("A worker runs a chunk in order, notes each unit it starts on the shared page, and refuses units it lacks")
    func workerChunks() throws {
        let progress = try #require(WorkerProgress.create())
        let worker = try ChildProcess.spawn(
            ConlabBinary.executable.path,
            arguments: ["worker"],
            passing: [progress.descriptor]
        )
        progress.closeDescriptor()
        let batch = CPUWorkload(tasks: [.factorize(12), .gcd(84, 36), .factorize(7)], rounds: 1)
            .batch(phase: 0, from: [])
        let payload = String(decoding: try JSONEncoder().encode(batch), as: UTF8.self)
        #expect(WorkerMessage.batch(kind: CPUBatch.batchKind, payload: payload).write(to: worker.input))
        #expect(progress.unit == nil)
        #expect(WorkerMessage.run(first: 1, count: 2).write(to: worker.input))
        guard case .outputs(1, let replies) = WorkerMessage.read(from: worker.output) else {
            Issue.record("no outputs for units 1 and 2")
            return
        }
        #expect(try replies.map { try JSONDecoder().decode([Int].self, from: Data($0.utf8)) } == [[12], [1, 7]])
        #expect(progress.unit == 2)
        // A count that would overflow first + count is refused like any other, not trapped on.
        #expect(WorkerMessage.run(first: 2, count: Int.max).write(to: worker.input))
        guard case .protocolError(let message) = WorkerMessage.read(from: worker.output) else {
            Issue.record("no protocol error for Int.max units from 2 of 3")
            return
        }
        #expect(message == "no \(Int.max) units from 2 in the current batch")
        #expect(worker.wait() == .exited(3))
    }

    @Test("A worker that refuses a message exits 3 even when its input closes at once, every time")
    func protocolErrorStatusRace() throws {
        // The parent closes the worker's input as soon as it has read the refusal; the worker's lifeline sees
        // that hang-up, maybe before the main thread reaches `exit(3)`, and must end the worker with the same
        // status. (Before the worker announced its status, about one worker in a few exited 0.)
        for attempt in 0..<40 {
            let worker = try ChildProcess.spawn(ConlabBinary.executable.path, arguments: ["worker"])
            #expect(WorkerMessage.batch(kind: "no-such-kind", payload: "{}").write(to: worker.input))
            guard case .protocolError = WorkerMessage.read(from: worker.output) else {
                Issue.record("attempt \(attempt): no protocol error for an unknown batch kind")
                _ = worker.wait()
                return
            }
            let status = worker.wait()
            #expect(status == .exited(3), "attempt \(attempt)")
            if status != .exited(3) { return }
        }
    }

    /// The system call a worker blocks in for a unit's modelled wait.
    #if arch(x86_64)
    private static let clockNanosleep = 230
    #else
    private static let clockNanosleep = 115  // arm64's generic table
    #endif

    /// Live (not zombie) children of `parent`.
    private static func workers(of parent: Int32) -> [Int32] {
        ProcessTable.children(of: parent).filter { $0.state != "Z" }.map(\.pid)
    }
}

enum ProcessStrategyFactory {
    static func make(workers: Int, chunkSize: Int? = nil) throws -> any Strategy {
        let type = try #require(BuiltInStrategies.registry.strategy(named: "process"))
        var options = ["workers": StrategyOptions.Entry(value: .integer(workers), location: .unknown)]
        if let chunkSize { options["chunk_size"] = .init(value: .integer(chunkSize), location: .unknown) }
        return try type.init(options: StrategyOptions(options))
    }
}
