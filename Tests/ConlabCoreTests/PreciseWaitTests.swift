import ConlabCore
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
