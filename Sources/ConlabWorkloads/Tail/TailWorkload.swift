public import ConlabCore
public import ConlabLatency
public import ConlabScenario
import ConlabToolkit

/// Item 62, mixing threads and coroutines: writer threads append lines to several files at random
/// intervals while tailers — one unit per file, async tasks under `async`, threads under the thread
/// strategies — follow the files and merge every line into one output. Every line must arrive once.
///
/// The book ends its tailers by closing their files a second after the writers finish; here a tailer
/// ends when its writer is done and the file is read to its end, so no line depends on a timer.
public struct TailWorkload: PhasedWorkload {
    /// Files, each with a writer thread and a tailer.
    public let files: Int
    /// Lines each writer writes.
    public let lines: Int
    /// The writer's pause before each line, drawn from the seed.
    public let pause: LatencyModel
    /// A tailer's pause when it finds no new line (the book's `interval`).
    public let poll: Duration
    /// The longest a tailer follows its file.
    public let timeout: Duration
    /// Line contents and pauses.
    public let random: CounterRandom

    /// Creates a workload.
    public init(files: Int, lines: Int, pause: LatencyModel, poll: Duration, timeout: Duration, random: CounterRandom) {
        self.files = files
        self.lines = lines
        self.pause = pause
        self.poll = poll
        self.timeout = timeout
        self.random = random
    }

    /// One phase.
    public var phaseCount: Int { 1 }
    /// `batch`.
    public var phaseName: String { "batch" }
    /// Nothing read yet.
    public var initialState: TailState { TailState(files: [], mergeProblem: nil) }

    /// The tailers, and writers that start when the first tailer opens its file.
    public func batch(phase: Int, from state: TailState) -> TailBatch {
        let content = (0..<files).map { file in
            (0..<lines).map { line in
                "file \(file) line \(line) " + String(random.bits(0x7A11, UInt64(file), UInt64(line)), radix: 16)
            }
        }
        let pauses = (0..<files).map { file in
            (0..<lines).map { line in pause.sample(random.uniform(0x7A12, UInt64(file), UInt64(line))) }
        }
        return TailBatch(phase: phase, workload: self, writers: TailWriters(lines: content, pauses: pauses))
    }

    /// One phase of tailers that each wait once, in `tail`, for a file the model does not time (an
    /// external wait): known without writing a line.
    public func plannedProfiles(budget: Int) -> PlannedProfiles? {
        PlannedProfiles([PlannedPhase(units: files, steps: ["tail"], waits: .each([.zero]))])
    }

    /// Joins the writers and checks the merged output: every written line exactly once, each file's
    /// lines in the order written.
    public func state(after batch: TailBatch, outputs: [TailedLines]) -> TailState {
        guard let outcome = batch.writers.finish() else { return TailState(files: outputs, mergeProblem: nil) }
        var state = TailState(
            files: outputs,
            mergeProblem: Self.problem(merged: outcome.merged, written: batch.writers.lines)
        )
        if let failure = outcome.failure { state.mergeProblem = failure }
        state.lagSeconds = outcome.lagSeconds.sorted()
        return state
    }

    private static func problem(merged: [String], written: [[String]]) -> String? {
        let expected = written.joined().sorted()
        let found = merged.sorted()
        if found != expected {
            let missing = Set(expected).subtracting(found).count
            return "the merged output has \(found.count) lines for \(expected.count) written "
                + "(\(missing) missing, \(found.count - Set(found).count) duplicated)"
        }
        for (file, lines) in written.enumerated() {
            let prefix = "file \(file) "
            if merged.filter({ $0.hasPrefix(prefix) }) != lines {
                return "file \(file)'s lines were merged out of order"
            }
        }
        return nil
    }

    /// SHA-256 of every file's line count and digest.
    public func digest(of state: TailState) -> String {
        SHA256.hexDigest(of: state.files.map { "\($0.count) \($0.sha256)\n" }.joined())
    }

    /// The first file read wrongly, or what is wrong with the merged output.
    public func mismatch(_ state: TailState, expected: TailState) -> String? {
        for (file, (found, wanted)) in zip(state.files, expected.files).enumerated() where found != wanted {
            return "file \(file): read \(found.count) lines, expected \(wanted.count)"
                + (found.count == wanted.count ? " (different contents)" : "")
        }
        return state.mergeProblem
    }

    /// Lines merged, and how long after its write each line reached the merged output.
    public func figures(of state: TailState) -> [String: Double] {
        let lags = state.lagSeconds
        return [
            "lines_merged": Double(lags.count),
            "tail_lag_p50_seconds": lags.percentile(0.5),
            "tail_lag_p99_seconds": lags.percentile(0.99),
            "tail_lag_max_seconds": lags.last ?? 0,
        ]
    }
}

/// What one tailer read.
public struct TailedLines: Sendable, Codable, Equatable {
    /// Lines read.
    public var count: Int
    /// SHA-256 of the lines read, in order, each with its newline.
    public var sha256: String

    /// Summarises `lines`.
    public init(_ lines: [String]) {
        count = lines.count
        sha256 = SHA256.hexDigest(of: lines.map { $0 + "\n" }.joined())
    }
}

/// The outcome of an item-62 run.
public struct TailState: Sendable, Equatable {
    /// What each tailer read.
    public var files: [TailedLines]
    /// What is wrong with the merged output, if anything; `nil` also when none was written (the reference).
    public var mergeProblem: String?
    /// Per merged line, seconds from its write to its merge, sorted (a measurement, not compared).
    public var lagSeconds: [Double] = []

    /// Creates a state.
    public init(files: [TailedLines], mergeProblem: String?) {
        self.files = files
        self.mergeProblem = mergeProblem
    }

    /// The same lines read, and a merged output with nothing wrong.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.files == rhs.files && lhs.mergeProblem == rhs.mergeProblem
    }
}

/// The tailers of one run.
public struct TailBatch: UnitBatch {
    /// Always 0.
    public let phase: Int
    let workload: TailWorkload
    let writers: TailWriters

    /// One tailer per file.
    public var count: Int { workload.files }

    /// The tailer of file `index`.
    public func unit(at index: Int) -> TailUnit {
        TailUnit(
            index: index,
            tail: TailedFile(file: index, writers: writers, poll: workload.poll, timeout: workload.timeout)
        )
    }
}

/// One tailer: it waits while it follows its file, then reports what it read.
public struct TailUnit: WorkUnit {
    let index: Int
    let tail: TailedFile
    private var asked = false

    init(index: Int, tail: TailedFile) {
        self.index = index
        self.tail = tail
    }

    /// `batch 0, file 3`.
    public var coordinates: UnitCoordinates {
        UnitCoordinates(phase: 0, index: index, phaseName: "batch", name: "file \(index)")
    }

    /// Asks to follow the file, then returns what it read.
    public mutating func advance() throws -> UnitStep<TailedLines> {
        guard asked else {
            asked = true
            return .wait(.external(step: "tail", job: ExternalJob(tail)))
        }
        return .finished(TailedLines(try tail.lines()))
    }
}
