import ConlabCore
import ConlabTestSupport
import ConlabToolkit
import Synchronization
import Testing

@Suite("Deadlines, precise sleeps and the doorbell")
struct PreciseWaitTests {
    @Test("A blocking sleep never ends before its deadline, spinning or not")
    func sleepNeverEarly() async throws {
        try await OSThread.run(name: "test-sleep") { _ in
            for microseconds in [0, 50, 150, 1000, 2500] {
                let deadline = Deadline.after(.microseconds(microseconds))
                BlockingSleep.sleepPrecisely(until: deadline)
                #expect(Deadline.now >= deadline)
            }
        }
    }

    @Test("Many threads sleeping at once all end at or after their deadlines (most sleep, a few spin)")
    func manySleepersNeverEarly() async throws {
        let early = EarlyCount()
        try await OSThread.run(name: "test-sleepers") { _ in
            let threads = try (0..<32).map { index in
                try OSThread.spawn(name: "test-sleeper") {
                    for round in 0..<20 {
                        let deadline = Deadline.after(.microseconds(200 + 37 * ((index + round) % 11)))
                        BlockingSleep.sleepPrecisely(until: deadline)
                        if Deadline.now < deadline { early.count.add(1, ordering: .relaxed) }
                    }
                }
            }
            for thread in threads { thread.join() }
        }
        #expect(early.count.load(ordering: .relaxed) == 0)
    }

    @Test(
        "Tasks on the task timer wake at or after their deadlines, never before, whatever their order",
        arguments: [false, true]
    )
    func taskTimerNeverEarly(onShards: Bool) async throws {
        // On the shards each task is timed by the shard that runs it, which also spins to its deadlines.
        let shards: [TaskTimer?] = onShards ? TestServices.timers.shards : [nil]
        let early = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<2000 {
                group.addTask(executorPreference: shards[index % shards.count]) {
                    // Deadlines out of order, some already past, many equal.
                    let deadline = Deadline.after(.microseconds((index * 7919) % 3000 - 200))
                    try? await TestServices.timers.current.sleep(until: deadline)
                    return Deadline.now < deadline
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(early == 0)
    }

    @Test("A task cancelled while it sleeps on the task timer wakes at once with CancellationError")
    func taskTimerCancellation() async throws {
        let sleeper = Task { try await TestServices.timers.main.sleep(until: .after(.seconds(600))) }
        try await Task.sleep(for: .milliseconds(20))
        let cancelled = Deadline.now
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(Deadline.now - cancelled < .seconds(30))
        // Cancelled before it ever sleeps: it does not sleep at all.
        let late = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await TestServices.timers.main.sleep(until: .after(.seconds(600)))
        }
        await #expect(throws: CancellationError.self) { try await late.value }
    }

    @Test("Deadline arithmetic agrees with Duration")
    func arithmetic() {
        let start = Deadline(nanoseconds: 5_000_000_000)
        #expect((start + .milliseconds(1_500)).nanoseconds == 6_500_000_000)
        #expect((start + .milliseconds(3)) - start == .milliseconds(3))
        #expect(Duration.seconds(-2).wholeNanoseconds == -2_000_000_000)
        #expect(Duration.seconds(Int64.max).wholeNanoseconds == .max)
    }

    @Test("A ring wakes a sleeper long before its deadline; a ring before the sleep is not lost")
    func doorbellWakes() async throws {
        let doorbell = try #require(Doorbell())
        let rang = try await OSThread.run(name: "test-doorbell") { _ in
            doorbell.ring()
            let first = doorbell.sleep(until: .after(.seconds(60)))
            let ringer = try OSThread.spawn(name: "test-ringer") {
                BlockingSleep.sleep(for: .milliseconds(20))
                doorbell.ring()
            }
            let second = doorbell.sleep(until: nil)
            ringer.join()
            return first && second
        }
        #expect(rang)
    }

    @Test("Without a ring the doorbell returns false at its deadline, not before")
    func doorbellDeadline() async throws {
        let doorbell = try #require(Doorbell())
        let (rang, deadline, woke) = try await OSThread.run(name: "test-doorbell") { _ in
            let deadline = Deadline.after(.milliseconds(5))
            let rang = doorbell.sleep(until: deadline)
            return (rang, deadline, Deadline.now)
        }
        #expect(!rang)
        #expect(woke >= deadline)
    }
}

/// How many sleeps ended early, counted from many threads.
private final class EarlyCount: Sendable {
    let count = Atomic<Int>(0)
}
