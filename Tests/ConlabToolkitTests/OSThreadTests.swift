import CLinux
import ConlabToolkit
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("OS threads")
struct OSThreadTests {
    /// The calling thread's name, as `ps -L` shows it (pthread_getname_np is not in Glibc's module).
    private static func currentName() -> String {
        let fd = open("/proc/thread-self/comm", O_RDONLY)
        guard fd >= 0 else { return "?" }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = read(fd, &buffer, buffer.count)
        // The kernel ends the name with a newline.
        return String(decoding: buffer[..<max(0, count)].prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
    }

    @Test("A thread on kept stacks keeps its creator's name unless given one, and join gives its stack back")
    func keptStackThreadsNames() async throws {
        let names = Mutex<[String]>([])
        try await OSThread.run(name: "test-creator") { _ in
            let stacks = ThreadStacks(stackSize: 256 * 1024)
            try stacks.reserve(2)
            for round in 0..<3 {
                let unnamed = try OSThread.spawn(stacks: stacks) { names.withLock { $0.append(Self.currentName()) } }
                let named = try OSThread.spawn(name: "test-named-\(round)", stacks: stacks) {
                    names.withLock { $0.append(Self.currentName()) }
                }
                unnamed.join()
                named.join()
            }
        }
        // Three rounds of two threads on two reserved stacks: each join gave its stack back for the next round.
        #expect(
            names.withLock { $0.sorted() } == [
                "test-creator", "test-creator", "test-creator",
                "test-named-0", "test-named-1", "test-named-2",
            ]
        )
    }

    @Test("A thread started by one with the kernel's default timer slack runs with 1 ns, and so does its creator")
    func timerSlackOfCreatorsNotStartedByConlab() async throws {
        // A creator such as a test runner's thread: a thread of its own, its slack put back to the default.
        let slacks = Mutex<(before: Duration, creator: Duration, child: Duration, grandchild: Duration)?>(nil)
        let done = Atomic<Bool>(false)
        let creator = Thread {
            _ = clinux_set_timer_slack(50_000)
            let before = TimerSlack.current
            let child = Mutex<Duration>(.zero)
            let grandchild = Mutex<Duration>(.zero)
            let thread = try? OSThread.spawn(name: "test-slack") {
                child.withLock { $0 = TimerSlack.current }
                let inner = try? OSThread.spawn(name: "test-slack-2") {
                    grandchild.withLock { $0 = TimerSlack.current }
                }
                inner?.join()
            }
            thread?.join()
            slacks.withLock { $0 = (before, TimerSlack.current, child.withLock { $0 }, grandchild.withLock { $0 }) }
            done.store(true, ordering: .releasing)
        }
        creator.start()
        while !done.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
        let measured = try #require(slacks.withLock { $0 })
        #expect(measured.before == .microseconds(50))
        #expect(measured.creator == .nanoseconds(1))
        #expect(measured.child == .nanoseconds(1))
        #expect(measured.grandchild == .nanoseconds(1))
    }
}
