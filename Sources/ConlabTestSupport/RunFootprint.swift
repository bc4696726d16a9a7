import ConlabCore
import ConlabToolkit
public import Foundation

/// What the processes of one run hold — their ids, sockets, and named files under the temporary folders —
/// gathered while the run goes on, so that the test can tell afterwards what the run left behind.
///
/// The run's processes are found by an environment entry (`NAME=value`) that conlab, its workers and their
/// children all inherit.
public struct RunFootprint: Sendable {
    /// Every process seen.
    public var processes: Set<Int32> = []
    /// The inodes of every socket seen.
    public var sockets: Set<UInt64> = []
    /// Every named file seen open under the temporary folders.
    public var files: Set<String> = []
    /// Descriptors seen on files without a name (`O_TMPFILE`, or unlinked) under the temporary folders.
    public var anonymousFiles: Set<String> = []

    /// Nothing seen yet.
    public init() {}

    /// Adds what the processes holding `marker` hold now; files count when under one of `folders` and not
    /// one of `keeping` (the log, which the run is meant to leave).
    public mutating func sample(marker: String, folders: [String], keeping: Set<String> = []) {
        for pid in ProcessTable.processes(withEnvironment: marker) {
            processes.insert(pid)
            sockets.formUnion(ProcessTable.socketInodes(of: pid))
            for target in ProcessTable.openFiles(of: pid) where folders.contains(where: { target.hasPrefix($0 + "/") })
            {
                if keeping.contains(target) {
                    continue
                } else if target.hasSuffix(" (deleted)") {
                    anonymousFiles.insert(target)
                } else {
                    files.insert(target)
                }
            }
        }
    }

    /// What is left now: processes holding `marker`, sockets the kernel still has, files that still exist.
    public func leftovers(marker: String) -> [String] {
        var left = ProcessTable.processes(withEnvironment: marker).map { "process \($0)" }
        left += sockets.intersection(ProcessTable.liveSocketInodes()).map { "socket inode \($0)" }
        left += files.filter { FileManager.default.fileExists(atPath: $0) }.map { "file \($0)" }
        return left.sorted()
    }

    /// Waits until `log` contains `marker`, then `delay` more, sampling (files in `keeping` aside) what the run holds every 50 ms and
    /// once more just before the signals; sends `signals` (50 ms apart) and waits for the exit, sampling
    /// still. With no signals, it samples until the run ends by itself. A run still there a minute after
    /// the signals (or two minutes after the start, without) is killed, and its status is SIGKILL's.
    /// Blocks its own thread, not the cooperative pool.
    public static func watch(
        _ process: Process,
        marker environment: String,
        folders: [String],
        keeping: Set<String> = [],
        whenLog log: String,
        contains marker: String,
        after delay: Duration,
        signals: [Int32]
    ) async throws -> (status: Int32, footprint: RunFootprint) {
        try await OSThread.run(name: "footprint") { _ in
            var footprint = RunFootprint()
            let clock = ContinuousClock()
            let started = clock.now
            func sampleFor(_ span: Duration, until stop: () -> Bool) {
                let end = clock.now + span
                var next = clock.now
                while clock.now < end && !stop() {
                    if clock.now >= next {
                        footprint.sample(marker: environment, folders: folders, keeping: keeping)
                        next = clock.now + .milliseconds(50)
                    }
                    BlockingSleep.sleep(for: .milliseconds(5))
                }
            }
            sampleFor(.seconds(30)) {
                (try? String(contentsOfFile: log, encoding: .utf8))?.contains(marker) == true || !process.isRunning
            }
            if !signals.isEmpty {
                sampleFor(delay) { false }
                footprint.sample(marker: environment, folders: folders, keeping: keeping)
                for (number, signal) in signals.enumerated() {
                    if number > 0 { BlockingSleep.sleep(for: .milliseconds(50)) }
                    kill(process.processIdentifier, signal)
                }
                sampleFor(.seconds(60)) { !process.isRunning }
            } else {
                sampleFor(.seconds(120) - (clock.now - started)) { !process.isRunning }
            }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
            return (process.terminationStatus, footprint)
        }
    }
}
