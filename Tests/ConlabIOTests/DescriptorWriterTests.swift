import ConlabCore
import ConlabIO
import ConlabToolkit
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

@Suite("DescriptorWriter")
struct DescriptorWriterTests {
    @Test("A pipe whose reader has gone is EPIPE, and the process lives on whatever SIGPIPE's action is")
    func brokenPipe() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        close(ends[0])
        defer { close(ends[1]) }
        // The default action kills: a write(2) that let the signal through would end the test run here.
        let previous = signal(SIGPIPE, SIG_DFL)
        defer { signal(SIGPIPE, previous) }
        #expect(DescriptorWriter.write("lost\n", to: ends[1]) == EPIPE)
        #expect(DescriptorWriter.write("lost again\n", to: ends[1]) == EPIPE)
    }

    @Test("A full device is ENOSPC")
    func fullDevice() throws {
        let full = open("/dev/full", O_WRONLY | O_CLOEXEC)
        try #require(full >= 0)
        defer { close(full) }
        #expect(DescriptorWriter.write("no room\n", to: full) == ENOSPC)
    }

    @Test("A megabyte through a pipe that takes 64 KiB at a time arrives whole and in order")
    func wholeWrite() throws {
        var ends: [Int32] = [-1, -1]
        try #require(pipe(&ends) == 0)
        let reader = ends[0]
        let bytes = (0..<1_048_576).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let received = Mutex<[UInt8]>([])
        // The reader is an OS thread started before the write: a reader waiting for a turn on the cooperative
        // pool, while this write blocked one of its threads, deadlocked the suite on two cores.
        let thread = try OSThread.spawn(name: "pipe-reader") {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = read(reader, &buffer, buffer.count)
                guard count > 0 else { break }
                received.withLock { $0 += buffer[0..<count] }
            }
            close(reader)
        }
        let failure = bytes.withUnsafeBytes { DescriptorWriter.write($0, to: ends[1]) }
        close(ends[1])
        thread.join()
        #expect(failure == nil)
        #expect(received.withLock { $0 } == bytes)
    }
}
