import ConlabCore
import ConlabToolkit
import Synchronization
import Testing

/// Contended `Mutex` under ThreadSanitizer (Sources/CLinux/MutexSanitizer.c): run by `Tests/tsan/run`,
/// this test gives one race report per run without that file and none with it. In any build it checks
/// that the lock excludes.
@Suite("Mutex under ThreadSanitizer")
struct MutexSanitizerTests {
    /// A plain stored count, written only inside `lock.withLock` — the accesses TSan checks.
    final class Tally: @unchecked Sendable {  // `count` is only touched while `lock` is held.
        let lock = Mutex(())
        var count = 0
    }

    @Test("Two threads contending for one Mutex never race on what it guards")
    func contendedBodiesAreOrdered() throws {
        let tally = Tally()
        let rounds = 50_000
        let threads = try (0..<2).map { index in
            try OSThread.spawn(name: "contend-\(index)") {
                for _ in 0..<rounds { tally.lock.withLock { _ in tally.count += 1 } }
            }
        }
        for thread in threads { thread.join() }
        #expect(tally.lock.withLock { _ in tally.count } == 2 * rounds)
    }
}
