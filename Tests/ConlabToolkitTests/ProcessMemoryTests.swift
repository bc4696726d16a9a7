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

    @Test("The file held open reads afresh each time: threads started between two readings show")
    func statusHeldOpen() async throws {
        try await OSThread.run(name: "test-status") { _ in
            // #require takes copyable values only, and its expression is evaluated as one.
            guard let status = ProcessStatus() else {
                Issue.record("/proc/self/status could not be opened")
                return
            }
            let first = status.read()
            let before = try #require(first)
            let gate = Semaphore(value: 0)
            let threads = try (0..<64).map { _ in try OSThread.spawn(name: "test-status") { gate.wait() } }
            let second = status.read()
            let fresh = ProcessMemory.read()
            for _ in threads { gate.signal() }
            for thread in threads { thread.join() }
            let during = try #require(second)
            // Run alone, `before` is a handful of threads (6 → 70 when this was written), so a reading left
            // over from the first fails here.
            #expect(during.threads >= 64 + 1, "before \(before.threads), during \(during.threads)")
            // Beside other tests `before` may already be that high; a file opened afresh just after agrees with
            // the held one, where a stale reading would be the 64 threads short.
            let reopened = try #require(fresh)
            #expect(abs(during.threads - reopened.threads) <= 8, "held \(during.threads), reopened \(reopened.threads)")
            #expect(during.residentBytes > 1 << 20)
        }
    }

    @Test("The resident high-water mark covers memory this process touched and still holds")
    func highWaterMark() {
        // 32 MiB touched and kept until the readings are taken: the mark, whoever resets it meanwhile (a run
        // of another test starts its peak), never falls below what is resident.
        let size = 32 << 20
        let block = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 4096)
        defer { block.deallocate() }
        block.initializeMemory(as: UInt8.self, repeating: 1, count: size)
        let mark = ProcessMemory.highWaterMarkBytes()
        let resident = ProcessMemory.read()?.residentBytes ?? 0
        #expect(mark >= size, "VmHWM \(mark) bytes")
        #expect(resident >= size, "VmRSS \(resident) bytes")
        #expect(block.load(fromByteOffset: size - 1, as: UInt8.self) == 1)
    }
}
