import ConlabCore
import ConlabToolkit
import Foundation
import Testing

@testable import StrategyPool

@Suite("The fixed thread pool")
struct FixedThreadPoolTests {
    @Test("Exactly max_workers threads, all of them used, none left after shutdown")
    func size() async throws {
        let pool = try FixedThreadPool(size: 7, name: "pool-test")
        #expect(pool.runningThreads == 7)
        // 70 jobs that each hold a thread for 5 ms: every thread takes some, and no more than 7 run at once.
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<70 {
                let future = pool.submit { () -> String in
                    BlockingSleep.sleep(for: .milliseconds(5))
                    return (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
                }
                group.addTask { try await future.value }
            }
            return try await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(names.count == 7, "\(names)")
        #expect(names.allSatisfy { $0.hasPrefix("pool-test-") })
        try await OSThread.run(name: "pool-stop") { _ in pool.shutdown() }
        #expect(pool.runningThreads == 0)
    }
}
