import ConlabCore
import ConlabToolkit
public import Foundation

/// Sends SIGINT (or other signals) to a running `conlab` and times how long it takes to exit, all on a thread of its own:
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
        try await signal(process, with: [SIGINT], whenLog: log, contains: marker, after: delay)
    }

    /// Waits until `log` contains `marker`, then `delay` more, sends `signals` one after another (50 ms
    /// apart: a second Ctrl-C is a second keystroke), and waits for the exit. Seconds to exit are counted
    /// from the first signal.
    public static func signal(
        _ process: Process,
        with signals: [Int32],
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
            for (number, signal) in signals.enumerated() {
                if number > 0 { BlockingSleep.sleep(for: .milliseconds(50)) }
                kill(pid, signal)
            }
            // A conlab that does not stop is a failure to report, not a test that hangs: after a minute it
            // is killed, and the minute is what the outcome says.
            while process.isRunning && clock.now - signalled < .seconds(60) {
                BlockingSleep.sleep(for: .milliseconds(5))
            }
            if process.isRunning { kill(pid, SIGKILL) }
            process.waitUntilExit()
            return Outcome(status: process.terminationStatus, secondsToExit: (clock.now - signalled).inSeconds)
        }
    }
}
