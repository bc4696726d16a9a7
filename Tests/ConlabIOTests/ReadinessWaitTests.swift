import ConlabCore
import ConlabIO
import ConlabToolkit
import Foundation
import Testing

@Suite("Blocking system calls")
struct ReadinessWaitTests {
    @Test("poll returns at once for a readable descriptor and after the timeout for a quiet one")
    func poll() async throws {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer {
            close(ends[0])
            close(ends[1])
        }
        let clock = ContinuousClock()
        let reader = ends[0]
        let started = clock.now
        let quiet = try await OSThread.run(name: "poll-quiet") { _ in
            ReadinessWait.poll(reader, timeout: .milliseconds(50))
        }
        #expect(!quiet)
        #expect(clock.now - started >= .milliseconds(50))
        _ = write(ends[1], "x", 1)
        let ready = try await OSThread.run(name: "poll-ready") { _ in ReadinessWait.poll(reader, timeout: .seconds(5)) }
        // Readable, so it did not run into its 5 s timeout (a time bound would measure the busy test pool).
        #expect(ready)
    }
}
