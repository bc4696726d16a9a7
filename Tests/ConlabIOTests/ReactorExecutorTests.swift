import ConlabCore
import ConlabIO
import ConlabTestSupport
import ConlabToolkit
import Foundation
import Testing

// A job or wait the reactor never runs fails the test after a minute instead of hanging the run.
@Suite("Tasks on the reactor's thread", .timeLimit(.minutes(TimingAllowance.minutes(1))))
struct ReactorExecutorTests {
    /// The name of the calling thread.
    private static func threadName() -> String {
        let name = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? ""
        return name.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A connected pair of Unix sockets, closed when the test ends.
    private final class SocketPair {
        let reader: Int32
        let writer: Int32

        init() throws {
            var ends: [Int32] = [-1, -1]
            try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &ends) == 0)
            reader = ends[0]
            writer = ends[1]
        }

        deinit {
            close(reader)
            close(writer)
        }
    }

    @Test("A task that prefers the reactor's executor runs on the reactor thread, and so do its children")
    func runsOnTheReactorThread() async {
        let executor = TestServices.shared.readiness
        // Enqueued while the reactor may be asleep in epoll_wait with no deadline: the job must wake it.
        let names = await Task.detached(executorPreference: executor) {
            async let child = Self.threadName()
            return [Self.threadName(), await child]
        }.value
        #expect(names == ["conlab-epoll", "conlab-epoll"])
    }

    @Test("A reactor task waiting on a socket resumes when another thread makes it readable")
    func waitsOnSockets() async throws {
        let pair = try SocketPair()
        let reader = pair.reader
        let writer = pair.writer
        _ = fcntl(reader, F_SETFL, O_NONBLOCK)
        let readiness = TestServices.shared.readiness.register(reader)
        defer { readiness.cancel() }
        let waiter = Task.detached(executorPreference: TestServices.shared.readiness) {
            // 100 rounds, each woken by a write from another thread; a read that finds nothing (an edge
            // already taken) waits again.
            var byte: UInt8 = 0
            var rounds = 0
            while rounds < 100 {
                guard await readiness.wait(.readable, until: .now + .seconds(5)) else { return false }
                while read(reader, &byte, 1) == 1 { rounds += 1 }
                guard Self.threadName() == "conlab-epoll" else { return false }
            }
            return true
        }
        try await OSThread.run(name: "test-writer") { _ in
            var byte: UInt8 = 1
            for _ in 0..<100 {
                _ = write(writer, &byte, 1)
                BlockingSleep.sleep(for: .microseconds(200))
            }
        }
        #expect(await waiter.value)
        withExtendedLifetime(pair) {}
    }

    @Test("Readiness that arrives while no task waits is kept for the next wait, once")
    func remembersReadiness() async throws {
        let pair = try SocketPair()
        let reader = pair.reader
        _ = fcntl(reader, F_SETFL, O_NONBLOCK)
        let readiness = TestServices.shared.readiness.register(reader)
        defer { readiness.cancel() }
        // Drain what registration reported (a fresh socket is writable), then let data arrive unwatched.
        _ = await readiness.wait(.writable, until: .now + .seconds(5))
        var byte: UInt8 = 1
        _ = write(pair.writer, &byte, 1)
        // Time for the reactor to take the event with no waiter there. However long it takes, the wait
        // finds the edge remembered or is woken by it: only a lost edge would run into the deadline.
        try await Task.sleep(for: .milliseconds(50))
        #expect(await readiness.wait(.readable, until: .now + .seconds(30)))
        #expect(read(reader, &byte, 1) == 1)
        // That edge is used up: with nothing new, the next wait runs into its deadline.
        #expect(!(await readiness.wait(.readable, until: .now + .milliseconds(30))))
        withExtendedLifetime(pair) {}
    }

    @Test("The end of a stream stays ready: reading the data that came with it does not use it up")
    func endOfStreamStays() async throws {
        let pair = try SocketPair()
        let reader = pair.reader
        _ = fcntl(reader, F_SETFL, O_NONBLOCK)
        let readiness = TestServices.shared.readiness.register(reader)
        defer { readiness.cancel() }
        var bytes: [UInt8] = [1, 2, 3]
        _ = write(pair.writer, &bytes, 3)
        _ = shutdown(pair.writer, Int32(SHUT_WR))
        // One edge may carry both the data and the end: the read of the data is short, as if drained, and
        // the next wait must still see the end instead of running into its deadline.
        #expect(await readiness.wait(.readable, until: .now + .seconds(10)))
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(read(reader, &buffer, 16) == 3)
        #expect(await readiness.wait(.readable, until: .now + .seconds(10)))
        #expect(read(reader, &buffer, 16) == 0)
        withExtendedLifetime(pair) {}
    }

    @Test("A descriptor number closed without cancelling and used again is registered afresh")
    func reusedDescriptor() async throws {
        var old: [Int32] = [-1, -1]
        var new: [Int32] = [-1, -1]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &old) == 0)
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &new) == 0)
        let number = old[0]
        let stale = TestServices.shared.readiness.register(number)
        let staleWaiter = Task.detached { await stale.wait(.readable, until: .now + .seconds(50)) }
        // The number now names the new pair's reading end; dup2 closed the old socket it named.
        try #require(dup2(new[0], number) == number)
        close(new[0])
        close(old[1])
        defer {
            close(number)
            close(new[1])
        }
        let readiness = TestServices.shared.readiness.register(number)
        defer { readiness.cancel() }
        // A task still waiting through the old registration is woken to try its call, not left to its deadline.
        #expect(await staleWaiter.value)
        // Cancelling the forgotten registration leaves the new one alone, and waits on it return at once.
        stale.cancel()
        #expect(await stale.wait(.readable, until: .now + .seconds(30)))
        #expect(!(await readiness.wait(.readable, until: .now + .milliseconds(30))))
        var byte: UInt8 = 1
        _ = write(new[1], &byte, 1)
        #expect(await readiness.wait(.readable, until: .now + .seconds(30)))
    }

    @Test("A reactor task's wait times out when nothing arrives")
    func timesOut() async throws {
        let pair = try SocketPair()
        let readiness = TestServices.shared.readiness.register(pair.reader)
        defer { readiness.cancel() }
        let ready = await Task.detached(executorPreference: TestServices.shared.readiness) {
            await readiness.wait(.readable, until: .now + .milliseconds(30))
        }.value
        #expect(!ready)
        withExtendedLifetime(pair) {}
    }

    @Test("A task cancelled while it waits on a socket wakes at once with false")
    func cancelled() async throws {
        let pair = try SocketPair()
        let readiness = TestServices.shared.readiness.register(pair.reader)
        defer { readiness.cancel() }
        let waiter = Task.detached { await readiness.wait(.readable, until: .now + .seconds(60)) }
        try await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        // The time limit on the suite catches a wait that runs to its deadline.
        #expect(!(await waiter.value))
        withExtendedLifetime(pair) {}
    }
}
