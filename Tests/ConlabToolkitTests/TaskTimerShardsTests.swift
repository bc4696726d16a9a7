import ConlabCore
import ConlabTestSupport
import ConlabToolkit
import Foundation
import Synchronization
import Testing

// A job or a wake-up a shard never delivers fails the test after a minute instead of hanging the run.
@Suite("Tasks on the timer shards", .timeLimit(.minutes(TimingAllowance.minutes(1))))
struct TaskTimerShardsTests {
    /// The name of the calling thread.
    private static func threadName() -> String {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return name.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test("One shard per core, each its own executor")
    func onePerCore() throws {
        let shards = TestServices.timers.shards
        // The cores this process may use, counted from the kernel's own record of its affinity mask.
        let status = try #require(try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))
        let mask = try #require(status.split(separator: "\n").first { $0.hasPrefix("Cpus_allowed:") })
        let allowed = mask.dropFirst("Cpus_allowed:".count).filter(\.isHexDigit).reduce(0) {
            $0 + Int($1.hexDigitValue!).nonzeroBitCount
        }
        #expect(shards.count == allowed)
        #expect(Set(shards.map(ObjectIdentifier.init)).count == shards.count)
        #expect(!shards.contains { $0 === TestServices.timers.main })
    }

    @Test("A task that prefers a shard runs on its thread, is timed by it, and resumes there")
    func resumesOnItsShard() async throws {
        for (number, shard) in TestServices.timers.shards.enumerated() {
            let (before, timer, after) = try await Task(executorPreference: shard) {
                let before = Self.threadName()
                let timer = TestServices.timers.current
                try await timer.sleep(until: .after(.milliseconds(2)))
                return (before, timer, Self.threadName())
            }.value
            #expect(before == "conlab-tasks-\(number)")
            #expect(timer === shard)
            #expect(after == before)
        }
        // Off the shards, waits are timed by the shared timer.
        #expect(TestServices.timers.current === TestServices.timers.main)
    }

    @Test("A task started from another thread runs while its shard sleeps toward a far deadline")
    func jobWakesSleepingShard() async throws {
        let shard = TestServices.timers.shards[0]
        let sleeper = Task(executorPreference: shard) {
            try await TestServices.timers.current.sleep(until: .after(.seconds(600)))
        }
        // Long enough for the shard to be asleep in the kernel, not spinning.
        try await Task.sleep(for: .milliseconds(20))
        let started = Deadline.now
        let ranOn = await Task(executorPreference: shard) { Self.threadName() }.value
        #expect(ranOn == "conlab-tasks-0")
        #expect(Deadline.now - started < .seconds(30))
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }

    @Test("A wait group's cancellation ends its waits on every shard at once, and every later one, not another's")
    func waitGroupCancellation() async throws {
        let group = TimerWaitGroup(timers: TestServices.timers)
        let other = TimerWaitGroup(timers: TestServices.timers)
        let shards = TestServices.timers.shards
        let sleepers = shards.map { shard in
            Task(executorPreference: shard) { try await group.sleep(until: .after(.seconds(600))) }
        }
        let bystanderEnded = Atomic<Bool>(false)
        let bystander = Task(executorPreference: shards[0]) {
            defer { bystanderEnded.store(true, ordering: .releasing) }
            try await other.sleep(until: .after(.seconds(600)))
        }
        // Long enough for the waits to be in their heaps.
        try await Task.sleep(for: .milliseconds(20))
        let cancelled = Deadline.now
        group.cancel()
        for sleeper in sleepers {
            await #expect(throws: CancellationError.self) { try await sleeper.value }
        }
        #expect(Deadline.now - cancelled < .seconds(30))
        #expect(group.isCancelled)
        // A wait begun after the cancellation ends at once; the other group's still waits.
        await #expect(throws: CancellationError.self) {
            try await Task(executorPreference: shards[0]) { try await group.sleep(until: .after(.seconds(600))) }.value
        }
        try await Task.sleep(for: .milliseconds(20))
        let bystanderWaits = !bystanderEnded.load(ordering: .acquiring)
        #expect(bystanderWaits)
        #expect(!other.isCancelled)
        other.cancel()
        await #expect(throws: CancellationError.self) { try await bystander.value }
    }

    @Test("A nearer deadline set while the shard sleeps toward a far one wakes it")
    func nearerDeadlineWakesShard() async throws {
        let shard = TestServices.timers.shards[0]
        let far = Task(executorPreference: shard) {
            try await TestServices.timers.current.sleep(until: .after(.seconds(600)))
        }
        try await Task.sleep(for: .milliseconds(20))
        let lateness = try await Task(executorPreference: shard) {
            let deadline = Deadline.after(.microseconds(200))
            try await TestServices.timers.current.sleep(until: deadline)
            return Deadline.now - deadline
        }.value
        #expect(lateness >= .zero)
        #expect(lateness < .seconds(1))
        far.cancel()
        _ = try? await far.value
    }
}
