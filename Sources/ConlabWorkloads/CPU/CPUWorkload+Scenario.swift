public import ConlabCore
public import ConlabScenario

extension CPUWorkload: ScenarioWorkload {
    /// `cpu`.
    public static let kind = "cpu"
    /// Phases of CPU jobs, portable to worker processes.
    public static let traits = WorkloadTraits.phased(CPUWorkload.self)
    /// A round's jobs.
    public static let portableBatches: [any PortableBatch.Type] = [CPUBatch.self]

    /// Itself.
    public func runnable(seed: UInt64) -> RunnableWorkload { .phased(self) }

    /// `factorize 2139079, gcd(1071, 462), 3 rounds each`.
    public func summary(seed: UInt64) -> String {
        let tasks = tasks.map(\.name).joined(separator: ", ")
        return "\(tasks), \(rounds) round\(rounds == 1 ? "" : "s") each"
    }

    /// Items 53 and 64's lesson, from the fastest correct Swift strategy next to serial, and, when the Python
    /// strategies ran, each next to `python-serial`.
    public static func summaryLines(_ results: [WorkloadResult]) -> [String] {
        var lines: [String] = []
        if let serialWall = results.first?.serialSeconds,
            let best = results.filter({
                !["serial", "external"].contains($0.strategy) && $0.correct && $0.wallSeconds > 0
            }).max(by: { $0.wallSeconds > $1.wallSeconds })
        {
            lines.append(
                "lesson (items 53 and 64): Swift threads run CPU work in parallel: \(best.label) is "
                    + "\(DurationFormat.fixed(serialWall / best.wallSeconds, 2))× serial here; CPython's threads stay "
                    + "near 1× (the GIL), so it needs processes"
            )
        }
        // With --repeat a label has several results: each is compared by its median wall time.
        var walls: [String: [Double]] = [:]
        var labels: [String] = []
        for result in results where result.label.hasPrefix("python-") && result.correct && result.wallSeconds > 0 {
            if walls[result.label] == nil { labels.append(result.label) }
            walls[result.label, default: []].append(result.wallSeconds)
        }
        if let python = walls["python-serial"].map(Self.median), labels.count > 1 {
            let speedups = labels.sorted().filter { $0 != "python-serial" }.map { label in
                "\(label) \(DurationFormat.fixed(python / Self.median(walls[label]!), 2))×"
            }
            lines.append("CPython, next to python-serial: " + speedups.joined(separator: ", "))
        }
        return lines
    }

    /// The middle value of `values` (not empty), the mean of the two middle ones for an even count.
    private static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Reads `task`, `numbers` and `rounds`.
    public static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> CPUWorkload? {
        let rounds = mapping.optional("rounds").map { reader.integer($0, "workload.rounds", in: 1...1_000_000) } ?? 1
        let taskNode = mapping.required("task", form: "factorize or gcd")
        let task = taskNode.flatMap { node -> String? in
            guard let text = reader.scalarText(node), ["factorize", "gcd"].contains(text) else {
                reader.expected(node, "workload.task", "factorize or gcd")
                return nil
            }
            return text
        }
        let numbersNode = mapping.required("numbers", form: "the numbers (factorize) or pairs of numbers (gcd)")
        guard let task, let numbersNode, let rounds,
            let items = reader.sequence(numbersNode, "workload.numbers", form: "a list of numbers or pairs"),
            !items.isEmpty
        else {
            if let numbersNode, numbersNode.kind == .sequence {
                reader.report(numbersNode, "workload.numbers", "expected at least one number, found an empty list")
            }
            return nil
        }
        var tasks: [CPUTask] = []
        tasks.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            let path = "workload.numbers.\(index)"
            if task == "factorize" {
                guard let number = reader.integer(item, path, in: 1...1_000_000_000) else { continue }
                tasks.append(.factorize(number))
            } else {
                guard let (first, second) = item.twoItems,
                    let a = reader.scalarText(first).flatMap({ Int($0) }), a > 0,
                    let b = reader.scalarText(second).flatMap({ Int($0) }), b > 0
                else {
                    reader.expected(item, path, "[a, b] with two positive whole numbers")
                    continue
                }
                tasks.append(.gcd(a, b))
            }
        }
        return tasks.count == items.count ? CPUWorkload(tasks: tasks, rounds: rounds) : nil
    }
}
