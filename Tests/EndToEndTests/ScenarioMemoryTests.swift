import ConlabTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

extension EndToEnd {
    /// Validating a large scenario costs memory in proportion to its size, and a file over the limit costs none.
    @Suite("Scenario memory, end to end")
    struct ScenarioMemoryTests {
        /// `Self.maximumFileBytes`, as docs/scenario-format.md states it (this target runs the binary
        /// and does not link the loader).
        static let maximumFileBytes = 8 << 20

        /// A scenario whose `cells` list of `count` pairs makes most of its bytes (the shape of issue 17's 17.6 MB
        /// file, which took 882 MB to validate).
        static func cellsScenario(pairs count: Int) -> String {
            var list = ""
            list.reserveCapacity(count * 10)
            for index in 0..<count {
                if index > 0 { list += "," }
                list += "[\(index / 1000),\(index % 1000)]"
            }
            return """
                name: big-cells
                workload:
                  kind: life
                  rows: 1000
                  columns: 1000
                  generations: 1
                  pattern: { cells: [\(list)] }
                  io: { step: game_logic, latency: 1ms }
                strategies: [serial]

                """
        }

        /// `conlab validate file`'s exit status and peak resident memory in bytes, from `wait4`'s usage of that
        /// one child (`/usr/bin/time -v` reports the same figure).
        static func validate(_ file: String) throws -> (status: Int32, peakBytes: Int) {
            let arguments = [ConlabBinary.executable.path, "validate", file]
            var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
            defer { for pointer in argv { free(pointer) } }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            var pid: pid_t = 0
            let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
            guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }
            var status: Int32 = 0
            var usage = rusage()
            while wait4(pid, &status, 0, &usage) == -1 {
                guard errno == EINTR else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            }
            // ru_maxrss is in kilobytes on Linux; the status is WEXITSTATUS's bits.
            return ((status >> 8) & 0xFF, usage.ru_maxrss * 1024)
        }

        @Test("A multi-megabyte cells list grows the peak by at most 12 times its size (Yams' tree took 60 times)")
        func cellsList() throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let small = folder.url.appendingPathComponent("small.yaml").path
            let big = folder.url.appendingPathComponent("big.yaml").path
            try Self.cellsScenario(pairs: 10).write(toFile: small, atomically: false, encoding: .utf8)
            // 450,000 pairs: about 4 MB, half the limit; a debug build reads it in seconds.
            let text = Self.cellsScenario(pairs: 450_000)
            try text.write(toFile: big, atomically: false, encoding: .utf8)
            let size = text.utf8.count

            let baseline = try Self.validate(small)
            let measured = try Self.validate(big)
            #expect(baseline.status == 0)
            #expect(measured.status == 0)
            // The process's own start-up memory (tens of megabytes in a debug build) is not the file's. Measured:
            // 7.6 times in a debug build, 7.5 in a release build; 59 with Yams' node tree.
            let growth = measured.peakBytes - baseline.peakBytes
            #expect(
                growth <= 12 * size,
                "validating \(size) bytes grew the peak by \(growth) bytes (\(Double(growth) / Double(size))×)"
            )
        }

        @Test("A file over the limit is refused without being read")
        func overTheLimit() throws {
            let folder = try TemporaryFolder()
            defer { folder.remove() }
            let small = folder.url.appendingPathComponent("small.yaml").path
            try Self.cellsScenario(pairs: 10).write(toFile: small, atomically: false, encoding: .utf8)
            // Written, not sparse: a loader that read it would hold its 8 MiB.
            let big = folder.url.appendingPathComponent("big.yaml").path
            let text = Self.cellsScenario(pairs: Self.maximumFileBytes / 9)
            #expect(text.utf8.count > Self.maximumFileBytes)
            try text.write(toFile: big, atomically: false, encoding: .utf8)

            let baseline = try Self.validate(small)
            let refused = try Self.validate(big)
            #expect(refused.status == 2)
            #expect(refused.peakBytes - baseline.peakBytes < Self.maximumFileBytes / 2)
        }
    }
}
