import ConlabCore
import ConlabLog
import ConlabRunner
import ConlabToolkit
import Foundation
import Synchronization

/// A one-line progress display on standard error for long runs: scenario, strategy, phase i/n, elapsed
/// and an estimate of what is left. Drawn only on a terminal, and only once a strategy has run for a
/// second, so short runs and logs piped elsewhere see nothing. One of the run's event sinks.
final class StatusLine: RunEventSink {
    private struct State {
        var scenario = ""
        var strategy = ""
        var phases = 0
        var done = 0
        var started = ContinuousClock.now
        var lastPhaseEnded = ContinuousClock.now
        var drawn = false
        var running = false
    }

    private let state = Mutex(State())
    private let stop = CancellationFlag()

    /// A status line when standard error is a terminal and the run is not quiet; otherwise none.
    static func make(quiet: Bool) -> [any RunEventSink] {
        guard !quiet, isatty(STDERR_FILENO) == 1 else { return [] }
        let line = StatusLine()
        _ = try? OSThread.spawn(name: "conlab-status", stackSize: 128 * 1024) { [line] in line.draw() }
        return [line]
    }

    /// Follows strategies and their phases; the other events are not its concern.
    func receive(_ event: RunEvent) {
        switch event {
        case .strategyStarted(let round): started(scenario: round.scenario, strategy: round.label, phases: round.phases)
        case .log(.phaseFinished(let phase)): finished(phase: phase.phase)
        case .strategyFinished: finishedStrategy()
        default: break
        }
    }

    private func started(scenario: String, strategy: String, phases: Int) {
        state.withLock {
            $0 = State(
                scenario: scenario,
                strategy: strategy,
                phases: phases,
                started: .now,
                lastPhaseEnded: .now,
                running: true
            )
        }
    }

    private func finished(phase: Int) {
        state.withLock {
            $0.done = phase + 1
            $0.lastPhaseEnded = .now
        }
    }

    private func finishedStrategy() {
        let drawn = state.withLock {
            $0.running = false
            return $0.drawn
        }
        // Clear the line before the summary is printed.
        if drawn { HumanOutput.write("\r\u{1B}[2K", to: .standardError) }
    }

    /// Redraws five times a second.
    @available(*, noasync)
    private func draw() {
        while !stop.isRaised {
            BlockingSleep.sleep(for: .milliseconds(200))
            let text: String? = state.withLock { state in
                let elapsed = (ContinuousClock.now - state.started).inSeconds
                guard state.running, elapsed >= 1 else { return nil }
                state.drawn = true
                var text =
                    "\(state.scenario) · \(state.strategy) · phase \(min(state.done + 1, state.phases))/\(state.phases)"
                text += " · \(DurationFormat.fixed(elapsed, 0)) s"
                if state.done > 0 && state.done < state.phases {
                    // The phases done so far set the pace; the current one has been running since the last.
                    let perPhase = (state.lastPhaseEnded - state.started).inSeconds / Double(state.done)
                    let inPhase = (ContinuousClock.now - state.lastPhaseEnded).inSeconds
                    let left = max(0, perPhase * Double(state.phases - state.done) - inPhase)
                    text += " · about \(DurationFormat.fixed(left, 0)) s left"
                }
                return text
            }
            if let text { HumanOutput.write("\r\u{1B}[2K" + text, to: .standardError) }
        }
    }
}
