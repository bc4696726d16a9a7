import Foundation
import Synchronization
import Testing

// `@testable` reaches a stack's address range, to check that threads run where they were put.
@testable import ConlabToolkit

@Suite("Kept thread stacks")
struct ThreadStacksTests {
    @Test("Threads run on the kept stacks, and a second round reuses them instead of mapping more")
    func threadsRunOnKeptStacksAndReuseThem() async throws {
        let stacks = ThreadStacks(stackSize: 128 * 1024)
        try await OSThread.run(name: "test-stacks") { _ in
            for _ in 0..<2 {
                let outside = Mutex(0)
                var threads: [OSThread] = []
                for _ in 0..<100 {
                    let stack = try stacks.take()
                    stacks.giveBack(stack)
                    threads.append(
                        try OSThread.spawn(name: "test-kept", stacks: stacks) {
                            var local = 0
                            let address = withUnsafeMutablePointer(to: &local) { UInt(bitPattern: $0) }
                            // The thread took the stack just given back: the free list is last in, first out.
                            if address < stack.base || address >= stack.base + UInt(stack.size) {
                                outside.withLock { $0 += 1 }
                            }
                        }
                    )
                    // Join at once, so that the next thread takes the same stack again.
                    threads.removeLast().join()
                }
                #expect(outside.withLock { $0 } == 0)
            }
            #expect(stacks.mappedCount == 64)

            // 100 threads alive at once need 100 stacks: one more region, and none after that.
            for _ in 0..<2 {
                let gate = Semaphore(value: 0)
                let threads = try (0..<100).map { _ in
                    try OSThread.spawn(name: "test-kept", stacks: stacks) { gate.wait() }
                }
                for _ in threads { gate.signal() }
                for thread in threads { thread.join() }
                #expect(stacks.mappedCount == 128)
            }
        }
    }

    @Test("Reserving maps exactly the shortfall, and taking reserved stacks maps nothing more")
    func reserve() throws {
        let stacks = ThreadStacks(stackSize: 64 * 1024)
        try stacks.reserve(300)
        #expect(stacks.mappedCount == 300)
        let taken = try (0..<250).map { _ in try stacks.take() }
        #expect(stacks.mappedCount == 300)
        try stacks.reserve(100)
        #expect(stacks.mappedCount == 350)
        for stack in taken { stacks.giveBack(stack) }
        try stacks.reserve(350)
        #expect(stacks.mappedCount == 350)
    }

    @Test("Each kept stack has an inaccessible guard page at its low end")
    func guardPages() throws {
        let stacks = ThreadStacks(stackSize: 64 * 1024)
        let first = try stacks.take()
        let second = try stacks.take()
        // Read to the end: String(contentsOfFile:) stops at 4 KiB of a /proc file.
        let file = try #require(FileHandle(forReadingAtPath: "/proc/self/maps"))
        let maps = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
        for stack in [first, second] {
            let start = String(stack.base, radix: 16)
            let line = maps.split(separator: "\n").first {
                $0.hasPrefix(start + "-") || $0.hasPrefix("0" + start + "-")
            }
            #expect(line?.split(separator: " ").dropFirst().first == "---p", "no guard page at \(start)")
        }
        stacks.giveBack(first)
        stacks.giveBack(second)
    }
}
