import ConlabCore
import Foundation
import Testing

// A job or wait the reactor never runs fails the test after a minute instead of hanging the run.
@Suite("Tasks on the reactor's thread", .timeLimit(.minutes(1)))
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
        let executor = ReadinessReactor.shared.executor
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
        let waiter = Task.detached(executorPreference: ReadinessReactor.shared.executor) {
            // 100 rounds: each wait registers the socket again and is woken by a write from another thread.
            var byte: UInt8 = 0
            for _ in 0..<100 {
                guard await ReadinessReactor.shared.wait(for: reader, .readable, until: .now + .seconds(5)) else {
                    return false
                }
                guard read(reader, &byte, 1) == 1, Self.threadName() == "conlab-epoll" else { return false }
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

    @Test("A reactor task's wait times out when nothing arrives")
    func timesOut() async throws {
        let pair = try SocketPair()
        let reader = pair.reader
        let ready = await Task.detached(executorPreference: ReadinessReactor.shared.executor) {
            await ReadinessReactor.shared.wait(for: reader, .readable, until: .now + .milliseconds(30))
        }.value
        #expect(!ready)
        withExtendedLifetime(pair) {}
    }
}
