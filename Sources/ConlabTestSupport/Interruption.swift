import ConlabCore
public import Foundation

/// Sends SIGINT to a running `conlab` and times how long it takes to exit, all on a thread of its own:
/// measured from the test's tasks, the cooperative pool (shared with every test running beside it) could
/// add seconds to both the wait before the signal and the time it takes to notice the exit.
public enum Interruption {
    /// What happened.
    public struct Outcome: Sendable {
        /// The process's exit status (`terminationStatus`).
        public var status: Int32
        /// Seconds from the signal to the process's exit.
        public var secondsToExit: Double
    }

    /// Waits until `log` contains `marker`, then `delay` more, sends SIGINT, and waits for the exit.
    public static func interrupt(
        _ process: Process,
        whenLog log: String,
        contains marker: String,
        after delay: Duration
    ) async throws -> Outcome {
        let pid = process.processIdentifier
        return try await OSThread.run(name: "interrupt") { _ in
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(30)
            while clock.now < deadline {
                if let text = try? String(contentsOfFile: log, encoding: .utf8), text.contains(marker) { break }
                BlockingSleep.sleep(for: .milliseconds(5))
            }
            BlockingSleep.sleep(for: delay)
            let signalled = clock.now
            kill(pid, SIGINT)
            process.waitUntilExit()
            return Outcome(status: process.terminationStatus, secondsToExit: (clock.now - signalled).inSeconds)
        }
    }
}
