import ConlabCore
import ConlabToolkit
import Testing

@Suite("Reading the process's threads and memory")
struct ProcessMemoryTests {
    @Test("The thread count follows threads started and joined; resident memory is plausible")
    func readsThreadsAndMemory() async throws {
        try await OSThread.run(name: "test-memory") { _ in
            let before = try #require(ProcessMemory.read())
            #expect(before.threads >= 2)
            #expect(before.residentBytes > 1 << 20)
            #expect(before.residentBytes < 1 << 40)

            let gate = Semaphore(value: 0)
            let threads = try (0..<8).map { _ in try OSThread.spawn(name: "test-memory") { gate.wait() } }
            let during = try #require(ProcessMemory.read())
            for _ in threads { gate.signal() }
            for thread in threads { thread.join() }
            // Other tests start threads too, so only a lower bound holds.
            #expect(during.threads >= 8 + 1)
        }
    }
}
