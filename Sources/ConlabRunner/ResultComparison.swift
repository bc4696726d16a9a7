public import ConlabLog

/// Compares the results of two runs (`conlab compare BASE NEW`): per scenario and strategy, the change in
/// time, memory and threads, judged against a threshold, so CI can gate on it.
public struct ResultComparison: Sendable {
    /// How one figure changed.
    public struct Change: Sendable {
        /// `scenario`.
        public var scenario: String
        /// The strategy with its options.
        public var label: String
        /// `wall_seconds`, `peak_rss_bytes`, `peak_threads`, or `correct`.
        public var metric: String
        /// The base run's value (the median where a run has several results).
        public var base: Double
        /// The new run's value.
        public var new: Double
        /// The verdict.
        public var verdict: Verdict

        /// The relative change, e.g. 0.12 for 12 % more.
        public var relative: Double { base == 0 ? (new == 0 ? 0 : .infinity) : (new - base) / base }
    }

    /// What a change means. Lower is better for every figure compared.
    public enum Verdict: String, Sendable {
        /// Within the threshold: no clear difference.
        case same = "no clear difference"
        /// Worse by more than the threshold (or no longer correct).
        case regression
        /// Better by more than the threshold.
        case improvement
    }

    /// Every compared figure, in scenario and strategy order.
    public private(set) var changes: [Change] = []
    /// Results present in only one of the runs.
    public private(set) var unmatched: [String] = []
    /// What the reader must know before trusting a timing: the runs were measured on different machines, or
    /// a merged run on several (its results are then compared machine by machine).
    public private(set) var notes: [String] = []

    /// Compares `base` with `new`; `threshold` is relative (0.05 for 5 %).
    public init(base: [LogEvent], new: [LogEvent], threshold: Double) {
        let baseMachines = Self.machines(base)
        let newMachines = Self.machines(new)
        for (run, machines) in [("base", baseMachines), ("new", newMachines)] where machines.count > 1 {
            notes.append(
                "the \(run) run was measured on \(machines.count) machines (\(machines.map(\.description).joined(separator: "; "))): results are compared only where one machine measured both, a scenario's name followed by (on MACHINE)"
            )
        }
        if !baseMachines.isEmpty && !newMachines.isEmpty
            && !(baseMachines.allSatisfy { machine in newMachines.contains { $0.couldBe(machine) } }
                && newMachines.allSatisfy { machine in baseMachines.contains { $0.couldBe(machine) } })
        {
            notes.append(
                "the runs were measured on different machines (base: \(baseMachines.map(\.description).joined(separator: "; ")); new: \(newMachines.map(\.description).joined(separator: "; "))): a change in time may be the machine's"
            )
        }
        // Either run from several machines: both are grouped by machine, so a pair is compared only when one
        // machine measured both.
        let byMachine = baseMachines.count > 1 || newMachines.count > 1
        let before = Self.group(base, byMachine: byMachine)
        let after = Self.group(new, byMachine: byMachine)
        for key in before.keys.sorted() {
            let label =
                after.keys.first { $0 == key }.map { $0.label == key.label ? key.label : "\(key.label) → \($0.label)" }
                ?? key.label
            guard let baseResults = before[key], let newResults = after[key] else {
                unmatched.append("\(key.scenario) / \(key.label): only in the base run")
                continue
            }
            let wasCorrect = baseResults.allSatisfy(\.correct)
            let isCorrect = newResults.allSatisfy(\.correct)
            if wasCorrect && !isCorrect {
                changes.append(
                    Change(
                        scenario: key.scenario,
                        label: label,
                        metric: "correct",
                        base: 1,
                        new: 0,
                        verdict: .regression
                    )
                )
                continue
            }
            // A base time below its floor is no yardstick: comparing with it would call every honest run slower.
            let baseTimeValid = baseResults.allSatisfy { $0.invalidMeasurement == nil }
            for (metric, figure) in Self.metrics where baseTimeValid || metric != "wall_seconds" {
                let old = Self.median(baseResults, figure)
                let now = Self.median(newResults, figure)
                let relative = old == 0 ? 0 : (now - old) / old
                let verdict: Verdict =
                    relative > threshold ? .regression : relative < -threshold ? .improvement : .same
                changes.append(
                    Change(scenario: key.scenario, label: label, metric: metric, base: old, new: now, verdict: verdict)
                )
            }
        }
        for key in after.keys.sorted() where before[key] == nil {
            unmatched.append("\(key.scenario) / \(key.label): only in the new run")
        }
    }

    /// Whether anything got worse.
    public var hasRegression: Bool { changes.contains { $0.verdict == .regression } }
    /// Whether anything got better.
    public var hasImprovement: Bool { changes.contains { $0.verdict == .improvement } }

    /// Results by scenario and strategy name, the nth distinct configuration of a strategy in a scenario
    /// kept apart from the others. Options are not part of the key, so a changed option (fewer pool
    /// workers) is compared with what it replaced.
    /// With `byMachine`, a scenario's results on each machine are a group of their own.
    private static func group(_ events: [LogEvent], byMachine: Bool) -> [Key: [RunResult]] {
        var groups: [Key: [RunResult]] = [:]
        var started: RunStarted?
        // Per scenario and strategy, the labels in the order they first appear: repeated results of one
        // entry share a key (and a median); entries with other options get the next ordinal.
        var labels: [String: [String]] = [:]
        for event in events {
            if let runStarted = event.runStarted { started = runStarted }
            guard let result = event.result else { continue }
            let machine = started?.machine(of: result)
            let scenario =
                byMachine
                ? "\(result.scenario) (on \(machine.map(Self.name(of:)) ?? "an unknown machine"))" : result.scenario
            let (strategy, label) = (result.strategy, result.label)
            let entry = "\(scenario)\u{0}\(strategy)"
            if !(labels[entry]?.contains(label) ?? false) { labels[entry, default: []].append(label) }
            let ordinal = labels[entry]!.firstIndex(of: label)!
            // Only results that ran: a refused or interrupted strategy has nothing to compare.
            guard result.outcome != .refused, result.outcome != .interrupted else { continue }
            let name = ordinal == 0 ? label : "\(label) #\(ordinal + 1)"
            groups[Key(scenario, strategy: strategy, ordinal: ordinal, label: name), default: []].append(result)
        }
        return groups
    }

    /// The machines that measured `events`' results, in the order first met.
    private static func machines(_ events: [LogEvent]) -> [MachineInfo] {
        var machines: [MachineInfo] = []
        var started: RunStarted?
        for event in events {
            if let runStarted = event.runStarted { started = runStarted }
            if let result = event.result, let machine = started?.machine(of: result), !machines.contains(machine) {
                machines.append(machine)
            }
        }
        return machines
    }

    /// A machine as a scenario's name is suffixed with: its host's name, else its description.
    private static func name(of machine: MachineInfo) -> String { machine.hostname ?? machine.description }

    /// The figures compared, by their names in the log.
    private static let metrics: [(String, @Sendable (RunResult) -> Double)] = [
        ("wall_seconds", { $0.wallSeconds }),
        ("peak_rss_bytes", { Double($0.peakRSSBytes) }),
        ("peak_threads", { Double($0.peakThreads) }),
    ]

    private static func median(_ results: [RunResult], _ figure: (RunResult) -> Double) -> Double {
        let values = results.map(figure).sorted()
        guard !values.isEmpty else { return 0 }
        return values.count % 2 == 1
            ? values[values.count / 2] : (values[values.count / 2 - 1] + values[values.count / 2]) / 2
    }

    /// A result's identity across runs: its scenario, its strategy, and which entry of that strategy.
    private struct Key: Hashable, Comparable {
        let scenario: String
        let strategy: String
        let ordinal: Int
        /// For display only: the label as the run that produced it wrote it.
        let label: String

        init(_ scenario: String, strategy: String, ordinal: Int, label: String) {
            self.scenario = scenario
            self.strategy = strategy
            self.ordinal = ordinal
            self.label = label
        }

        static func == (lhs: Key, rhs: Key) -> Bool {
            (lhs.scenario, lhs.strategy, lhs.ordinal) == (rhs.scenario, rhs.strategy, rhs.ordinal)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(scenario)
            hasher.combine(strategy)
            hasher.combine(ordinal)
        }

        static func < (lhs: Key, rhs: Key) -> Bool {
            (lhs.scenario, lhs.strategy, lhs.ordinal) < (rhs.scenario, rhs.strategy, rhs.ordinal)
        }
    }
}
