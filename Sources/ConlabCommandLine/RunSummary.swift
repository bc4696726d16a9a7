import ConlabLog
import ConlabRunner
import ConlabScenario
import ConlabWorkloads
import Foundation
import Synchronization

/// What `conlab run` prints of a run: one of its event sinks, fed by the same events as the log, the trace
/// and the status line, and made of nothing else.
///
/// As text, each scenario's heading as it starts, its frames and table (``SummaryTable``) as it finishes, and
/// a sweep's tables (``SweepTable``) once every scenario has run; in another ``SummaryFormat``, one document
/// once every scenario has run, to standard output even with `--quiet`. Text for people goes to standard
/// output, or to standard error when the log takes standard output.
final class RunSummary: RunEventSink {
    private struct State {
        var reports = ScenarioReports()
        var machine: MachineInfo?
    }

    private let format: SummaryFormat
    private let frames: Conlab.Run.FramesMode
    private let sweeping: Bool
    private let quiet: Bool
    private let stream: HumanOutput.Stream
    private let state = Mutex(State())

    /// A summary in `format`, with the sweep's tables when the run is `sweeping`; text goes to standard error
    /// when `logOnStandardOutput`, and none is printed when `quiet`.
    init(format: SummaryFormat, frames: Conlab.Run.FramesMode, sweeping: Bool, quiet: Bool, logOnStandardOutput: Bool) {
        self.format = format
        self.frames = frames
        self.sweeping = sweeping
        self.quiet = quiet
        stream = logOnStandardOutput ? .standardError : .standardOutput
    }

    /// Prints each scenario's part as it starts and finishes, and the run's as its scenarios are over.
    func receive(_ event: RunEvent) {
        // The reports are put together under the lock; printing, which can block on a slow reader, after it.
        let (finished, reports, machine) = state.withLock { state in
            if case .log(.runStarted(let started)) = event { state.machine = started.machine }
            return (state.reports.take(event), state.reports.finished, state.machine)
        }
        switch event {
        case .scenarioStarted(let started) where format == .text:
            say(Self.heading(started.scenario))
        case .scenarioFinished where format == .text:
            if let finished { show(finished) }
        case .scenariosFinished where format == .text:
            guard sweeping else { break }
            let runs = reports.compactMap { report in
                report.sweep.map { SweepTable.Run(scenario: $0.scenario, setting: $0.setting, report: report) }
            }
            say(SweepTable.render(runs) + "\n")
        case .scenariosFinished:
            // `run_started` names the machine; a stream that lacks it is summarised on this one.
            let machine = machine ?? MachineInfo.current()
            HumanOutput.write(format.render(reports, machine: machine) + "\n", to: stream)
        default:
            break
        }
    }

    /// The frames (small grids, or a transcript) and the table of one scenario.
    private func show(_ report: ScenarioReport) {
        if let rendered = report.frames, rendered.count == 1, frames != .never {
            // One frame is a transcript, not a sequence of generations: no columns to number.
            say(rendered[0] + "\n")
        } else if let rendered = report.frames, frames != .never, frames == .always || rendered.count <= 12 {
            var printer = ColumnPrinter()
            for frame in rendered { printer.append(frame) }
            say(printer.rendered + "\n")
        }
        say(SummaryTable.render(report) + "\n")
    }

    /// Prints text for people, unless quiet.
    private func say(_ text: String) {
        guard !quiet else { return }
        HumanOutput.write(text + "\n", to: stream)
    }

    /// The scenario's name (and item), its description and its workload in a line.
    private static func heading(_ scenario: Scenario) -> String {
        var title = scenario.name
        if let item = scenario.item { title += " (Effective Python item \(item))" }
        var lines = [title]
        if !scenario.description.isEmpty {
            lines.append(scenario.description.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        lines.append(scenario.workload.summary(seed: scenario.seed))
        return lines.joined(separator: "\n") + "\n"
    }
}
