import ConlabTestSupport
import Foundation
import Testing

@testable import ConlabIO
@testable import ConlabToolkit

/// Timers and reactors end their threads when asked while idle, refuse while busy, and start a new thread
/// on their next use. Each test has instances of its own, with threads named for it, so that other tests
/// using the shared ones cannot disturb it.
@Suite("Retiring idle service threads")
struct ServiceThreadsTests {
    /// Whether a thread of this process is named `name` now.
    private static func threadExists(_ name: String) -> Bool {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        return tasks.contains { task in
            let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)
            return comm?.trimmingCharacters(in: .whitespacesAndNewlines) == name
        }
    }

    /// Retires on a thread of its own: the call waits for the service thread's answer.
    private static func retire(_ body: @escaping @Sendable () -> Bool) async throws -> Bool {
        try await OSThread.run(name: "test-retire") { _ in body() }
    }

    /// Retires as soon as the service thread is asleep: tried again every 2 ms for up to a second.
    private static func retireSoon(_ body: @escaping @Sendable () -> Bool) async throws -> Bool {
        for _ in 0..<500 {
            if try await retire(body) { return true }
            try await Task.sleep(for: .milliseconds(2))
        }
        return false
    }

    @Test("A task timer keeps its thread while a task waits, ends it when idle, and starts anew")
    func taskTimer() async throws {
        let name = "test-timer-\(UInt16.random(in: 0...9999))"
        let timer = try TaskTimer(name: name, spinning: false)
        #expect(try await !Self.retire { timer.retireIdleThread() }, "no thread yet")

        let waiting = Task { try await timer.sleep(until: .now + .seconds(30)) }
        // The waiting task's entry is in before the thread goes to sleep on it.
        while !Self.threadExists(name) { try await Task.sleep(for: .milliseconds(1)) }
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await !Self.retire { timer.retireIdleThread() }, "a task waits on it")
        #expect(Self.threadExists(name))

        waiting.cancel()
        await #expect(throws: CancellationError.self) { try await waiting.value }
        // Asleep again with only the cancelled wait's stale entry: it retires, and is gone when that returns.
        #expect(try await Self.retireSoon { timer.retireIdleThread() })
        #expect(!Self.threadExists(name))

        let started = ContinuousClock.now
        try await timer.sleep(until: .now + .milliseconds(5))
        #expect(ContinuousClock.now - started >= .milliseconds(5))
        #expect(Self.threadExists(name), "a wait after retiring starts a new thread")
    }

    @Test("A child reactor ends its thread between jobs and starts anew for the next")
    func childReactor() async throws {
        let name = "test-child-\(UInt16.random(in: 0...9999))"
        let reactor = try ChildReactor(threadName: name)
        // The job runs until the test lets it end, however slow the machine: a fixed sleep could end before
        // the retire below is even attempted, and the test would fail for the wrong reason.
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let gate = folder.url.appendingPathComponent("go").path
        let running = Task {
            try await reactor.run(
                ChildJob(commands: [
                    ChildCommand(arguments: ["sh", "-c", "while [ ! -e '\(gate)' ]; do sleep 0.01; done"])
                ])
            )
        }
        while !Self.threadExists(name) { try await Task.sleep(for: .milliseconds(1)) }
        #expect(try await !Self.retire { reactor.retireIdleThread() }, "a job runs")
        #expect(FileManager.default.createFile(atPath: gate, contents: nil))
        _ = try await running.value

        // The thread resumed the job's task just before it went back to sleep: it may still be on its way.
        #expect(try await Self.retireSoon { reactor.retireIdleThread() })
        #expect(!Self.threadExists(name))

        let outcome = try await reactor.run(
            ChildJob(commands: [ChildCommand(arguments: ["cat"])], input: Array("again\n".utf8))
        )
        #expect(outcome.outputBytes == 6)
        #expect(Self.threadExists(name))
    }

    @Test("A readiness reactor keeps its thread while a descriptor is registered, then ends it")
    func readinessReactor() async throws {
        let name = "test-epoll-\(UInt16.random(in: 0...9999))"
        let reactor = try ReadinessReactor(threadName: name)
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        let registration = reactor.register(ends[0])
        while !Self.threadExists(name) { try await Task.sleep(for: .milliseconds(1)) }
        try await Task.sleep(for: .milliseconds(20))
        #expect(try await !Self.retire { reactor.retireIdleThread() }, "a descriptor is registered")
        registration.cancel()

        #expect(try await Self.retire { reactor.retireIdleThread() })
        #expect(!Self.threadExists(name))

        let again = reactor.register(ends[0])
        defer { again.cancel() }
        _ = write(ends[1], "x", 1)
        #expect(await again.wait(.readable, until: .now + .seconds(10)), "a new thread reports readiness")
        #expect(Self.threadExists(name))
    }
}
