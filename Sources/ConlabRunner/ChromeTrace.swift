public import ConlabCore
import Foundation
import Synchronization

/// A whole `conlab run` in Chrome Trace Event Format, for Perfetto and `chrome://tracing`: each strategy
/// run is a process; its threads are tracks holding the units' compute slices; each unit is an async
/// slice, with its waits nested inside it, apart from its compute.
///
/// Bounded: at most ``unitLimit`` units per strategy run are kept — every unit of a smaller run, an even
/// sample (every k-th unit to finish) of a larger one — so a run of a million units writes about 20 MB
/// per strategy run at most; how many were left out is in `otherData`.
///
/// One of the run's event sinks: it takes the units of each strategy round (``unitSink(for:)``).
public final class ChromeTrace: RunEventSink {
    /// Units kept per strategy run.
    public static let unitLimit = 20_000

    private struct State {
        var events: [String] = []
        var runs = 0
        var nextUnitID = 0
        var namedThreads: Set<String> = []
        var unitsLeftOut = 0
    }

    private let origin: ContinuousClock.Instant
    private let state = Mutex(State())

    /// A trace whose clock starts now.
    public init(origin: ContinuousClock.Instant = .now) {
        self.origin = origin
    }

    /// Nothing: the trace follows units, which reach it through ``unitSink(for:)``.
    public func receive(_ event: RunEvent) {}

    /// A new process in the trace for `round`, and the sink its units report to.
    public func unitSink(for round: StrategyRound) -> (any UnitTimings.Sink)? {
        TraceRun(trace: self, name: round.name, plannedUnits: round.plannedUnits)
    }

    /// A new process in the trace for one strategy run, named e.g. `life-glider / async`.
    func beginRun(named name: String) -> Int {
        state.withLock { state in
            state.runs += 1
            state.events.append(
                #"{"ph":"M","name":"process_name","pid":\#(state.runs),"args":{"name":\#(Self.quoted(name))}}"#
            )
            return state.runs
        }
    }

    /// Counts a unit left out because its run reached ``unitLimit``.
    func leaveOut() {
        state.withLock { $0.unitsLeftOut += 1 }
    }

    /// Adds one finished unit of run `pid`.
    func add(
        _ coordinates: UnitCoordinates,
        start: ContinuousClock.Instant,
        end: ContinuousClock.Instant,
        slices: [UnitTimings.Slice],
        pid: Int
    ) {
        let name = Self.quoted(coordinates.description)
        state.withLock { state in
            state.nextUnitID += 1
            let id = state.nextUnitID
            func async(_ phase: String, _ label: String, _ time: ContinuousClock.Instant) -> String {
                #"{"ph":"\#(phase)","cat":"unit","name":\#(label),"id":\#(id),"pid":\#(pid),"tid":0,"ts":\#(micro(time))}"#
            }
            state.events.append(async("b", name, start))
            for slice in slices {
                switch slice {
                case .compute(let from, let to, let thread):
                    nameThread(thread, pid: pid, in: &state)
                    state.events.append(
                        #"{"ph":"X","cat":"compute","name":"compute","pid":\#(pid),"tid":\#(thread),"ts":\#(micro(from)),"#
                            + #""dur":\#(Self.micro(to - from)),"args":{"unit":\#(name)}}"#
                    )
                case .wait(let step, let from, let to, _):
                    let label = Self.quoted("wait: \(step)")
                    state.events.append(async("b", label, from))
                    state.events.append(async("e", label, to))
                }
            }
            state.events.append(async("e", name, end))
        }
    }

    /// Writes the trace to `file` as one JSON document.
    public func write(to file: OutputFile) throws(OutputFile.Failure) {
        let (events, leftOut) = state.withLock { ($0.events, $0.unitsLeftOut) }
        let text =
            #"{"displayTimeUnit":"ms","otherData":{"units_left_out":\#(leftOut),"unit_limit_per_run":\#(Self.unitLimit)},"#
            + "\"traceEvents\":[\n" + events.joined(separator: ",\n") + "\n]}\n"
        try file.write(text)
    }

    private func nameThread(_ thread: Int32, pid: Int, in state: inout State) {
        guard state.namedThreads.insert("\(pid)/\(thread)").inserted else { return }
        state.events.append(
            #"{"ph":"M","name":"thread_name","pid":\#(pid),"tid":\#(thread),"args":{"name":"thread \#(thread)"}}"#
        )
    }

    /// Microseconds since the trace's origin, to the nanosecond.
    private func micro(_ instant: ContinuousClock.Instant) -> String { Self.micro(instant - origin) }

    private static func micro(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        return String(format: "%.3f", Double(nanoseconds) / 1000)
    }

    private static func quoted(_ text: String) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let data = (try? encoder.encode(text)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// The trace of one strategy run: the unit sink's side of ``ChromeTrace``.
///
/// A run planned with more units than ``ChromeTrace/unitLimit`` keeps every `stride`-th unit to finish, so
/// the sample spans the whole run rather than its first moments; the limit still caps what is kept.
final class TraceRun: UnitTimings.Sink {
    let trace: ChromeTrace
    let pid: Int
    /// Keep one unit in this many.
    let stride: Int
    /// Units finished, and units kept.
    private let counts = Mutex((finished: 0, kept: 0))

    init(trace: ChromeTrace, name: String, plannedUnits: Int) {
        self.trace = trace
        pid = trace.beginRun(named: name)
        stride = max(1, (plannedUnits + ChromeTrace.unitLimit - 1) / ChromeTrace.unitLimit)
    }

    func add(
        _ coordinates: UnitCoordinates,
        start: ContinuousClock.Instant,
        end: ContinuousClock.Instant,
        slices: [UnitTimings.Slice]
    ) {
        let admitted = counts.withLock { counts in
            counts.finished += 1
            guard (counts.finished - 1) % stride == 0, counts.kept < ChromeTrace.unitLimit else { return false }
            counts.kept += 1
            return true
        }
        guard admitted else { return trace.leaveOut() }
        trace.add(coordinates, start: start, end: end, slices: slices, pid: pid)
    }

    /// Every unit's slices: they are what the trace draws.
    var tracesSlices: Bool { true }

    func finished(
        _ coordinates: @autoclosure () -> UnitCoordinates,
        start: ContinuousClock.Instant,
        end: ContinuousClock.Instant,
        slices: [UnitTimings.Slice]
    ) {
        add(coordinates(), start: start, end: end, slices: slices)
    }

    /// Waits are in the slices; their errors are the histograms' concern.
    func waited(beyond error: Duration) {}

    /// Untraced reports carry no units to draw.
    func record(waitErrors: UnsafeBufferPointer<Int64>, unitLatencies: UnsafeBufferPointer<Int64>) {}
}
