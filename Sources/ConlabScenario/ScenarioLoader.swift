public import ConlabCore
import ConlabLatency
import ConlabToolkit
import ConlabWorkloads
import Foundation

/// Reads scenario files (format v1, `docs/scenario-format.md`) into validated ``Scenario`` values.
///
/// Every problem is reported with its file, line, column, key path and expected form; a file with any
/// problem yields a ``ScenarioError`` listing all of them and nothing runs.
public struct ScenarioLoader: Sendable {
    /// The strategies scenario files may name.
    public let registry: StrategyRegistry

    /// The largest grid accepted, in cells: a unit per cell must stay well inside the machine's memory.
    public static let maximumCells = 1_000_000
    /// The most cell states a run may keep: the reference keeps every generation to check strategies against.
    public static let maximumCellStates = 200_000_000
    /// The largest scenario file read, in bytes (8 MiB): a 1000×1000 picture takes 1 MiB, and reading costs up
    /// to about 20 bytes of memory per byte of YAML (a list of jobs; 10 for lists of numbers), so larger files
    /// are refused before they are read.
    public static let maximumFileBytes = 8 << 20
    /// What `workload.kind` may be, for error messages.
    static let kindForm = "one of: " + WorkloadSpec.kinds.map(\.kind).joined(separator: ", ")

    /// Creates a loader for the given strategies.
    public init(registry: StrategyRegistry) {
        self.registry = registry
    }

    /// Reads and validates the file at `path`, after applying `overrides` and a `seed` override.
    public func load(
        file path: String,
        overrides: [ScenarioOverride] = [],
        seed: UInt64? = nil
    )
        throws(ScenarioError) -> Scenario
    {
        func failure(_ message: String, line: Int = 0, column: Int = 0) -> ScenarioError {
            ScenarioError(issues: [
                ScenarioIssue(location: .init(file: path, line: line, column: column), path: "", message: message)
            ])
        }
        // The size is checked before a byte is read: a larger file is refused at once, not parsed for seconds.
        var status = stat()
        guard stat(path, &status) == 0 else { throw failure(Self.unreadable(errno: errno)) }
        if (status.st_mode & S_IFMT) == S_IFDIR { throw failure("the path is a folder, not a scenario file") }
        if status.st_size > Self.maximumFileBytes {
            throw failure(
                "the file has \(status.st_size) bytes; a scenario has at most \(Self.maximumFileBytes) (8 MiB)"
            )
        }
        // The bytes go once they are checked and hashed, the text once the tree is built: an 8 MiB file is not
        // held twice beside its tree.
        let (tree, digest): (YAMLTree, String)
        do {
            let (text, hash) = try Self.text(of: path, failure: failure)
            (tree, digest) = (try Self.parse(text, file: path), hash)
        }
        return try load(tree: tree, file: path, digest: digest, overrides: overrides, seed: seed)
    }

    /// The file's text and SHA-256, or why it is no scenario.
    private static func text(
        of path: String,
        failure: (String, Int, Int) -> ScenarioError
    ) throws(ScenarioError) -> (String, String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw failure(unreadable(errno: access(path, R_OK) == 0 ? EIO : errno), 0, 0)
        }
        if data.count > maximumFileBytes {
            throw failure("the file has more than \(maximumFileBytes) bytes (8 MiB), the most a scenario has", 0, 0)
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            let (line, column, byte) = firstInvalidUTF8(in: data)
            throw failure(
                String(format: "the file is not UTF-8 text: byte 0x%02X is not valid UTF-8 here", byte),
                line,
                column
            )
        }
        return (text, SHA256.hexDigest(of: data))
    }

    /// Reads and validates scenario text; `file` names it in messages.
    public func load(
        yaml text: String,
        file: String,
        digest: String? = nil,
        overrides: [ScenarioOverride] = [],
        seed: UInt64? = nil
    ) throws(ScenarioError) -> Scenario {
        let tree = try Self.parse(text, file: file)
        return try load(
            tree: tree,
            file: file,
            digest: digest ?? SHA256.hexDigest(of: text),
            overrides: overrides,
            seed: seed
        )
    }

    /// The YAML tree of `text`, or the one issue that stops it being read.
    private static func parse(_ text: String, file: String) throws(ScenarioError) -> YAMLTree {
        let tree: YAMLTree
        do {
            tree = try YAMLTree.parse(text)
        } catch {
            throw ScenarioError(issues: [issue(for: error, file: file, text: text)])
        }
        guard tree.root != nil else {
            throw ScenarioError(issues: [
                ScenarioIssue(
                    location: .init(file: file, line: 1, column: 1),
                    path: "",
                    message: "the file is empty; expected a scenario mapping with 'name', 'workload' and 'strategies'"
                )
            ])
        }
        return tree
    }

    private func load(
        tree: YAMLTree,
        file: String,
        digest: String,
        overrides: [ScenarioOverride],
        seed: UInt64?
    ) throws(ScenarioError) -> Scenario {
        for override in overrides {
            if let issue = override.apply(to: tree) { throw ScenarioError(issues: [issue]) }
        }
        guard let root = tree.root else { throw ScenarioError(issues: []) }
        let reader = NodeReader(file: file)
        let scenario = read(YAMLNode(tree: tree, index: root), reader: reader, file: file, digest: digest, seed: seed)
        guard reader.issues.isEmpty, let scenario else {
            throw ScenarioError(
                issues: reader.issues.sorted {
                    ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column)
                }
            )
        }
        return scenario
    }

    // MARK: The document

    private func read(
        _ root: YAMLNode,
        reader: NodeReader,
        file: String,
        digest: String,
        seed seedOverride: UInt64?
    )
        -> Scenario?
    {
        guard let document = reader.mapping(root, "") else { return nil }
        let name = document.required("name", form: "a short identifier").flatMap { reader.string($0, "name") }
        let description = document.optional("description").flatMap { reader.string($0, "description") } ?? ""
        let item = document.optional("item").flatMap { reader.integer($0, "item", in: 1...125) }
        // The file's seed is checked even when --seed replaces it: a broken file stays broken.
        let fileSeed = document.optional("seed").flatMap { reader.unsigned($0, "seed") }
        let seed = seedOverride ?? fileSeed ?? 1
        let workload = document.required("workload", form: "a mapping with 'kind' and the workload's fields")
            .flatMap { readWorkload($0, reader: reader, seed: seed) }
        let strategies = document.required("strategies", form: "a list of strategy names")
            .flatMap { readStrategies($0, reader: reader, workload: workload) }
        let expectations =
            document.optional("expect").flatMap { readExpectations($0, reader: reader) } ?? Expectations()
        document.finish()

        if let name, name.isEmpty || name.contains(where: { $0 == "/" || $0.isWhitespace }) {
            reader.report(
                document.optional("name"),
                "name",
                "expected a short identifier without spaces or '/', found \(NodeReader.quoted(name))"
            )
        }
        guard let name, let workload, let strategies else { return nil }
        return Scenario(
            file: file,
            fileSHA256: digest,
            name: name,
            description: description,
            item: item,
            seed: seed,
            workload: workload,
            strategies: strategies,
            expectations: expectations
        )
    }

    // MARK: Workloads

    private func readWorkload(_ node: YAMLNode, reader: NodeReader, seed: UInt64) -> WorkloadSpec? {
        guard let mapping = reader.mapping(node, "workload") else { return nil }
        guard let kindNode = mapping.required("kind", form: Self.kindForm)
        else {
            return nil
        }
        switch reader.scalarText(kindNode) {
        case "life":
            let life = readLife(mapping, reader: reader)
            mapping.finish()
            return life.map(WorkloadSpec.life)
        case "pipeline":
            let pipeline = readPipeline(mapping, reader: reader)
            mapping.finish()
            return pipeline.map(WorkloadSpec.pipeline)
        case "cpu":
            let cpu = readCPU(mapping, reader: reader)
            mapping.finish()
            return cpu.map(WorkloadSpec.cpu)
        case "counter":
            let counter = readCounter(mapping, reader: reader)
            mapping.finish()
            return counter.map(WorkloadSpec.counter)
        case "syscall":
            let calls = mapping.required("calls", form: "how many blocking calls").flatMap {
                reader.integer($0, "workload.calls", in: 1...100_000)
            }
            let timeout = mapping.required("timeout", form: "each call's timeout, e.g. 100ms").flatMap {
                reader.duration($0, "workload.timeout", positive: true)
            }
            mapping.finish()
            guard let calls, let timeout else { return nil }
            return .syscall(SyscallWorkload(calls: calls, timeout: timeout))
        case "guess":
            let guess = readGuess(mapping, reader: reader, seed: seed)
            mapping.finish()
            return guess.map(WorkloadSpec.guess)
        case "tail":
            let tail = readTail(mapping, reader: reader, seed: seed)
            mapping.finish()
            return tail.map(WorkloadSpec.tail)
        case "subprocess":
            let subprocess = SubprocessReader.read(mapping, reader: reader, seed: seed)
            mapping.finish()
            return subprocess.map(WorkloadSpec.subprocess)
        default:
            reader.expected(kindNode, "workload.kind", Self.kindForm)
            return nil
        }
    }

    private func readLife(_ mapping: MappingReader, reader: NodeReader) -> LifeSpec? {
        let rows = mapping.required("rows", form: "a whole number of rows").flatMap {
            reader.integer($0, "workload.rows", in: 1...100_000)
        }
        let columns = mapping.required("columns", form: "a whole number of columns").flatMap {
            reader.integer($0, "workload.columns", in: 1...100_000)
        }
        let generations = mapping.required("generations", form: "how many generations to compute").flatMap {
            reader.integer($0, "workload.generations", in: 1...100_000)
        }
        let patternNode = mapping.required(
            "pattern",
            form: "a pattern name, or a mapping with 'named', 'cells', 'picture' or 'random'"
        )
        let pattern = patternNode.flatMap { readPattern($0, reader: reader) }
        let ioNode = mapping.optional("io")
        let io = ioNode.map { readLifeIO($0, reader: reader) } ?? ([], IOModel(latency: .fixed(.zero)))
        guard let rows, let columns, let generations, let pattern else { return nil }
        if rows * columns > Self.maximumCells {
            reader.report(
                mapping.optional("rows"),
                "workload.rows",
                "a \(rows)×\(columns) grid has \(rows * columns) cells; expected at most \(Self.maximumCells)"
            )
            return nil
        }
        if rows * columns * (generations + 1) > Self.maximumCellStates {
            reader.report(
                mapping.optional("generations"),
                "workload.generations",
                "\(generations) generations of \(rows * columns) cells keep \(rows * columns * (generations + 1)) cell states "
                    + "for the reference check; expected at most \(Self.maximumCellStates) (fewer generations or a smaller grid)"
            )
            return nil
        }
        if let problem = pattern.problem(rows: rows, columns: columns) {
            reader.report(patternNode, "workload.pattern", problem)
            return nil
        }
        guard let (steps, model) = io else { return nil }
        return LifeSpec(
            rows: rows,
            columns: columns,
            pattern: pattern,
            generations: generations,
            ioSteps: steps,
            io: model
        )
    }

    private func readPipeline(_ mapping: MappingReader, reader: NodeReader) -> PipelineSpec? {
        let items = mapping.required("items", form: "how many items enter the pipeline").flatMap {
            reader.integer($0, "workload.items", in: 1...10_000_000)
        }
        let defaultWorkers =
            mapping.optional("workers").map { reader.integer($0, "workload.workers", in: 1...4096) } ?? 1
        var buffer: Int?? = .some(nil)
        if let node = mapping.optional("buffer"), reader.scalarText(node) != "unbounded" {
            if let text = reader.scalarText(node), let capacity = Int(text), (1...10_000_000).contains(capacity) {
                buffer = .some(capacity)
            } else {
                reader.expected(node, "workload.buffer", "a whole number from 1 to 10000000, or unbounded")
                buffer = .none
            }
        }
        let interval =
            mapping.optional("poll_interval").map { reader.duration($0, "workload.poll_interval", positive: true) }
            ?? .milliseconds(10)
        var discipline: QueueDiscipline? = .blocking
        if let node = mapping.optional("discipline") {
            switch reader.scalarText(node) {
            case "blocking": discipline = .blocking
            case "polling": discipline = interval.map { .polling(interval: $0) }
            default:
                reader.expected(node, "workload.discipline", "blocking or polling")
                discipline = nil
            }
        }
        let stagesNode = mapping.required("stages", form: "a list of stages with 'name' and 'latency' and/or 'cpu'")
        var stages: [PipelineWorkload.StageWork]?
        if let stagesNode, let list = reader.sequence(stagesNode, "workload.stages", form: "a list of stages") {
            stages = []
            var names: Set<String> = []
            for (index, node) in list.enumerated() {
                let path = "workload.stages.\(index)"
                guard let stage = reader.mapping(node, path) else {
                    stages = nil
                    continue
                }
                defer { stage.finish() }
                let name = stage.required("name", form: "the stage's name, e.g. download").flatMap {
                    reader.string($0, stage.path("name"))
                }
                if let name, !names.insert(name).inserted || name.isEmpty {
                    reader.report(
                        stage.optional("name"),
                        stage.path("name"),
                        "expected a unique, non-empty stage name, found \(NodeReader.quoted(name))"
                    )
                }
                let workers =
                    stage.optional("workers").map { reader.integer($0, stage.path("workers"), in: 1...4096) }
                    ?? defaultWorkers
                let io = stage.keys.contains("latency") ? readIOModel(stage, reader: reader) : nil
                if !stage.keys.contains("latency") {
                    _ = stage.optional("failure_rate").map {
                        reader.report($0, stage.path("failure_rate"), "expected 'latency' next to 'failure_rate'")
                    }
                    _ = stage.optional("timeout").map {
                        reader.report($0, stage.path("timeout"), "expected 'latency' next to 'timeout'")
                    }
                }
                let cpu = stage.optional("cpu").map { reader.duration($0, stage.path("cpu")) } ?? .zero
                if !stage.keys.contains("latency") && !stage.keys.contains("cpu") {
                    reader.report(node, path, "expected 'latency' and/or 'cpu': a stage must do some work")
                }
                guard let name, let workers, let cpu, stages != nil, io != nil || !stage.keys.contains("latency") else {
                    stages = nil
                    continue
                }
                stages?.append(.init(stage: PipelineStage(name: name, workers: workers), io: io, cpu: cpu))
            }
            if list.isEmpty {
                reader.report(stagesNode, "workload.stages", "expected at least one stage, found an empty list")
                stages = nil
            }
        }
        guard let items, let buffer, let discipline, let stages, !stages.isEmpty else { return nil }
        return PipelineSpec(items: items, stages: stages, buffer: buffer, discipline: discipline)
    }

    private func readCounter(_ mapping: MappingReader, reader: NodeReader) -> CounterWorkload? {
        let workers = mapping.required("workers", form: "how many workers share the counter").flatMap {
            reader.integer($0, "workload.workers", in: 1...10_000)
        }
        let increments = mapping.required("increments", form: "increments per worker").flatMap {
            reader.integer($0, "workload.increments", in: 1...100_000_000)
        }
        let sync = mapping.required("sync", form: "none, lock, atomic or actor").flatMap {
            reader.choice($0, "workload.sync", as: CounterWorkload.Sync.self)
        }
        guard let workers, let increments, let sync else { return nil }
        return CounterWorkload(workers: workers, increments: increments, sync: sync)
    }

    private func readGuess(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> GuessWorkload? {
        let server = mapping.required("server", form: "threaded or async").flatMap {
            reader.choice($0, "workload.server", as: GuessWorkload.ServerKind.self)
        }
        let clients = mapping.optional("clients").map { reader.integer($0, "workload.clients", in: 1...1000) } ?? 1
        let sessions =
            mapping.optional("sessions").map { reader.integer($0, "workload.sessions", in: 1...1_000_000) } ?? 2
        let badPeers = mapping.optional("bad_peers").map { reader.bool($0, "workload.bad_peers") } ?? false
        let timeout =
            mapping.optional("timeout").map { reader.duration($0, "workload.timeout", positive: true) } ?? .seconds(5)
        guard let server, let clients, let sessions, let badPeers, let timeout else { return nil }
        return GuessWorkload(
            server: server,
            clients: clients,
            sessions: sessions,
            badPeers: badPeers,
            timeout: timeout,
            random: CounterRandom(seed: seed)
        )
    }

    private func readTail(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> TailWorkload? {
        let files = mapping.required("files", form: "how many files, each with a writer thread").flatMap {
            reader.integer($0, "workload.files", in: 1...100)
        }
        let lines = mapping.required("lines", form: "lines each writer writes").flatMap {
            reader.integer($0, "workload.lines", in: 1...100_000)
        }
        let pause = mapping.required("pause", form: "a duration such as 5ms, or a latency model").flatMap {
            LatencyModelReader.read($0, path: mapping.path("pause"), reader: reader)
        }
        let poll = mapping.required("poll", form: "a tailer's pause when it finds nothing new, e.g. 10ms").flatMap {
            reader.duration($0, "workload.poll", positive: true)
        }
        let timeout =
            mapping.optional("timeout").map { reader.duration($0, "workload.timeout", positive: true) } ?? .seconds(60)
        guard let files, let lines, let pause, let poll, let timeout else { return nil }
        return TailWorkload(
            files: files,
            lines: lines,
            pause: pause,
            poll: poll,
            timeout: timeout,
            random: CounterRandom(seed: seed)
        )
    }

    private func readCPU(_ mapping: MappingReader, reader: NodeReader) -> CPUWorkload? {
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

    private func readPattern(_ node: YAMLNode, reader: NodeReader) -> LifePattern? {
        let path = "workload.pattern"
        let names = LifePattern.NamedPattern.allCases.map(\.rawValue).joined(separator: ", ")
        if let text = reader.scalarText(node) {
            guard let named = LifePattern.NamedPattern(rawValue: text) else {
                reader.expected(
                    node,
                    path,
                    "a pattern name (\(names)) or a mapping with 'named', 'cells', 'picture' or 'random'"
                )
                return nil
            }
            return .named(named, row: 0, column: 0)
        }
        guard let mapping = reader.mapping(node, path) else { return nil }
        defer { mapping.finish() }
        let forms = ["named", "cells", "picture", "random"].filter { mapping.keys.contains($0) }
        guard forms.count == 1, let form = forms.first else {
            reader.report(
                node,
                path,
                "expected exactly one of 'named', 'cells', 'picture' or 'random', found \(forms.isEmpty ? "none" : forms.joined(separator: " and "))"
            )
            _ = ["named", "cells", "picture", "random", "at"].map(mapping.optional)
            return nil
        }
        switch form {
        case "named":
            let at = readAt(mapping, reader: reader)
            guard
                let named = reader.choice(
                    mapping.optional("named")!,
                    mapping.path("named"),
                    as: LifePattern.NamedPattern.self
                ), let at
            else { return nil }
            return .named(named, row: at.0, column: at.1)
        case "picture":
            let at = readAt(mapping, reader: reader)
            let pictureNode = mapping.optional("picture")!
            guard
                let text = reader.string(
                    pictureNode,
                    mapping.path("picture"),
                    "a block of lines of '*' (alive) and '-' (empty)"
                )
            else { return nil }
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            .filter { !$0.isEmpty }
            if lines.isEmpty {
                reader.expected(pictureNode, mapping.path("picture"), "a block of lines of '*' (alive) and '-' (empty)")
                return nil
            }
            if let bad = lines.joined().first(where: { $0 != LifeGrid.alive && $0 != LifeGrid.empty }) {
                reader.report(
                    pictureNode,
                    mapping.path("picture"),
                    "expected only '*' (alive) and '-' (empty), found \(NodeReader.quoted(String(bad)))"
                )
                return nil
            }
            guard let at else { return nil }
            return .picture(lines, row: at.0, column: at.1)
        case "cells":
            let cellsNode = mapping.optional("cells")!
            let cellsPath = mapping.path("cells")
            guard let items = reader.sequence(cellsNode, cellsPath, form: "a list of [row, column] pairs") else {
                return nil
            }
            var cells: [LifePattern.GridCell] = []
            cells.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                guard let pair = readPair(item, reader: reader, path: "\(cellsPath).\(index)") else { continue }
                cells.append(.init(row: pair.0, column: pair.1))
            }
            return cells.count == items.count ? .cells(cells) : nil
        default:
            let randomNode = mapping.optional("random")!
            guard let random = reader.mapping(randomNode, mapping.path("random")) else { return nil }
            defer { random.finish() }
            let density = random.required("density", form: "the chance, 0 to 1, that a cell starts alive").flatMap {
                reader.number($0, random.path("density"), in: 0...1, form: "a number from 0 to 1")
            }
            return density.map { .random(density: $0) }
        }
    }

    private func readAt(_ mapping: MappingReader, reader: NodeReader) -> (Int, Int)? {
        guard let node = mapping.optional("at") else { return (0, 0) }
        return readPair(node, reader: reader, path: mapping.path("at"))
    }

    private func readPair(_ node: YAMLNode, reader: NodeReader, path: String) -> (Int, Int)? {
        guard let (first, second) = node.twoItems,
            let row = reader.scalarText(first).flatMap({ Int($0) }), row >= 0,
            let column = reader.scalarText(second).flatMap({ Int($0) }), column >= 0
        else {
            reader.expected(node, path, "[row, column] with two whole numbers from 0")
            return nil
        }
        return (row, column)
    }

    private func readLifeIO(_ node: YAMLNode, reader: NodeReader) -> (Set<LifeStep>, IOModel)? {
        guard let mapping = reader.mapping(node, "workload.io") else { return nil }
        defer { mapping.finish() }
        let stepForm = "game_logic, count_neighbors or both"
        let steps: Set<LifeStep>? = mapping.required("step", form: "which step waits: \(stepForm)").flatMap { node in
            switch reader.scalarText(node) {
            case "both": return Set(LifeStep.allCases)
            case let text?: if let step = LifeStep(rawValue: text) { return [step] }
            case nil: break
            }
            reader.expected(node, mapping.path("step"), stepForm)
            return nil
        }
        let model = readIOModel(mapping, reader: reader)
        guard let steps, let model else { return nil }
        return (steps, model)
    }

    /// `latency`, `failure_rate` and `timeout` of any workload's modelled I/O.
    func readIOModel(_ mapping: MappingReader, reader: NodeReader) -> IOModel? {
        let latency = mapping.required("latency", form: "a duration such as 100ms, or a latency model").flatMap {
            LatencyModelReader.read($0, path: mapping.path("latency"), reader: reader)
        }
        let failureRate = mapping.optional("failure_rate").flatMap {
            reader.number($0, mapping.path("failure_rate"), in: 0...1, form: "a probability from 0 to 1")
        }
        let timeout = mapping.optional("timeout").flatMap {
            reader.duration($0, mapping.path("timeout"), positive: true)
        }
        guard let latency else { return nil }
        if mapping.optional("failure_rate") != nil && failureRate == nil { return nil }
        if mapping.optional("timeout") != nil && timeout == nil { return nil }
        return IOModel(latency: latency, failureRate: failureRate ?? 0, timeout: timeout)
    }

    // MARK: Strategies

    private func readStrategies(_ node: YAMLNode, reader: NodeReader, workload: WorkloadSpec?) -> [StrategySpec]? {
        let form = "a list of strategy names, e.g. [serial, async], or entries like 'pool: { max_workers: 10 }'"
        guard let items = reader.sequence(node, "strategies", form: form) else { return nil }
        if items.isEmpty {
            reader.report(node, "strategies", "expected at least one strategy, found an empty list")
            return nil
        }
        var specs: [StrategySpec] = []
        for (index, item) in items.enumerated() {
            let path = "strategies.\(index)"
            var nameNode = item
            var options = StrategyOptions(location: reader.location(of: item, path: path))
            if item.kind == .mapping {
                guard item.count == 1, let (key, value) = item.pairs.first else {
                    reader.expected(item, path, "a strategy name, or one key (the name) with a mapping of options")
                    continue
                }
                nameNode = key
                guard let optionMapping = reader.mapping(value, "\(path).\(key.string ?? "")") else { continue }
                var entries: [String: StrategyOptions.Entry] = [:]
                for option in optionMapping.keys {
                    let valueNode = optionMapping.optional(option)!
                    guard let text = reader.scalarText(valueNode) else {
                        reader.expected(valueNode, optionMapping.path(option), "a plain value")
                        continue
                    }
                    entries[option] = .init(
                        value: Self.optionValue(text, node: valueNode),
                        location: reader.location(of: valueNode, path: optionMapping.path(option))
                    )
                }
                options = StrategyOptions(entries, location: options.location)
            }
            guard let name = reader.scalarText(nameNode) else {
                reader.expected(nameNode, path, "a strategy name")
                continue
            }
            guard let type = registry.strategy(named: name) else {
                reader.report(
                    nameNode,
                    path,
                    "unknown strategy \(NodeReader.quoted(name)); expected one of \(registry.names.joined(separator: ", "))"
                )
                continue
            }
            if let workload, let refusal = type.refusal(of: workload.traits, kind: workload.kind) {
                reader.report(nameNode, path, refusal)
                continue
            }
            do {
                specs.append(
                    StrategySpec(
                        strategy: try type.init(options: options),
                        location: reader.location(of: nameNode, path: path)
                    )
                )
            } catch {
                reader.append(
                    ScenarioIssue(
                        location: error.location,
                        path: "\(path).\(name).\(error.key)",
                        message: error.isUnknownKey
                            ? "unknown option '\(error.key)' for strategy '\(name)'" + Self.optionList(type)
                            : "expected \(error.expected)"
                    )
                )
            }
        }
        return specs.count == items.count ? specs : nil
    }

    private static func optionList(_ type: any Strategy.Type) -> String {
        type.optionHelp.isEmpty
            ? "; it takes no options"
            : "; expected one of " + type.optionHelp.map { "'\($0.key)'" }.joined(separator: ", ")
    }

    private static func optionValue(_ text: String, node: YAMLNode) -> OptionValue {
        if node.kind == .scalar, node.isPlain {
            if let integer = Int(text) { return .integer(integer) }
            if let number = Double(text) { return .number(number) }
            if text == "true" || text == "false" { return .bool(text == "true") }
        }
        return .string(text)
    }

    // MARK: Expectations

    private func readExpectations(_ node: YAMLNode, reader: NodeReader) -> Expectations? {
        guard let mapping = reader.mapping(node, "expect") else { return nil }
        defer { mapping.finish() }
        var expectations = Expectations()
        if let outcome = mapping.optional("outcome") {
            guard let value = reader.choice(outcome, mapping.path("outcome"), as: Expectations.Outcome.self) else {
                return nil
            }
            expectations.outcome = value
        }
        if let digest = mapping.optional("final_grid_sha256") {
            guard let text = reader.scalarText(digest), text.count == 64,
                text.allSatisfy({ $0.isHexDigit && !$0.isUppercase })
            else {
                reader.expected(
                    digest,
                    mapping.path("final_grid_sha256"),
                    "64 lowercase hexadecimal digits (a SHA-256)"
                )
                return nil
            }
            expectations.finalGridSHA256 = text
        }
        return expectations
    }

    // MARK: YAML errors

    /// Why a file could not be read, from the `errno` of `stat` or `open`.
    static func unreadable(errno code: Int32) -> String {
        switch code {
        case ENOENT: "the file does not exist"
        case ELOOP: "the path is a loop of symbolic links"
        case EACCES: "the file cannot be read: permission denied"
        case ENOTDIR: "the file does not exist (a part of its path is not a folder)"
        default: "the file cannot be read: \(String(cString: strerror(code)))"
        }
    }

    /// The line and column (counted in characters, from 1) of the first byte of `data` that is not UTF-8,
    /// and the byte.
    static func firstInvalidUTF8(in data: Data) -> (line: Int, column: Int, byte: UInt8) {
        let bytes = [UInt8](data)
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        var line = 1
        var column = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") {
                    line += 1
                    column = 1
                } else {
                    column += 1
                }
                offset += encoded.count
            case .error(let length):
                _ = length
                return (line, column, bytes[offset])
            case .emptyInput:
                return (line, column, 0)
            }
        }
    }

    /// The lines of `text` as libyaml counts them: broken at CR LF, CR, LF, NEL, LS and PS.
    static func yamlLines(_ text: String) -> [[Unicode.Scalar]] {
        var lines: [[Unicode.Scalar]] = [[]]
        var afterCR = false
        for scalar in text.unicodeScalars {
            defer { afterCR = scalar == "\r" }
            switch scalar {
            case "\n" where afterCR: continue
            case "\n", "\r", "\u{85}", "\u{2028}", "\u{2029}": lines.append([])
            default: lines[lines.count - 1].append(scalar)
            }
        }
        return lines
    }

    /// The line and column (from 1, in characters) of byte `offset` of `text`.
    static func position(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        let utf8 = text.utf8
        let end = utf8.index(utf8.startIndex, offsetBy: min(max(0, offset), utf8.count))
        let before = yamlLines(String(decoding: utf8[..<end], as: UTF8.self))
        return (before.count, before[before.count - 1].count + 1)
    }

    static func issue(for error: YAMLParseError, file: String, text: String) -> ScenarioIssue {
        func at(_ line: Int, _ column: Int, _ message: String) -> ScenarioIssue {
            ScenarioIssue(location: .init(file: file, line: line, column: column), path: "", message: message)
        }
        switch error {
        case .syntax(let context, let problem, let line, let column):
            // libyaml's advice to its own callers (set_max_nest_level) means nothing to a scenario's author.
            if problem.contains("yaml_set_max_nest_level") || problem.contains("Maximum nesting level") {
                return at(
                    line,
                    column,
                    "invalid YAML: lists and mappings nested too deeply (libyaml allows 1000 levels)"
                )
            }
            return at(line, column, "invalid YAML: " + [context, problem].compactMap { $0 }.joined(separator: ", "))
        case .reader(let problem, let offset, let value):
            let (line, column) = position(ofByte: offset, in: text)
            return at(
                line,
                column,
                "invalid YAML text: \(problem)" + (value >= 0 ? String(format: " (U+%04X)", value) : "")
            )
        case .duplicateKeys(let duplicates, let line, let column) where duplicates.isEmpty:
            return at(line, column, "invalid YAML: a list or mapping used as a key appears twice in the same mapping")
        case .duplicateKeys(let duplicates, let markLine, let markColumn):
            let key = duplicates.sorted().first ?? ""
            let (line, column) =
                duplicatePosition(of: key, afterLine: markLine, column: markColumn, in: text) ?? (markLine, markColumn)
            return at(line, column, "invalid YAML: duplicate key \(NodeReader.quoted(key)) in the same mapping")
        case .memory:
            return at(0, 0, "invalid YAML: libyaml ran out of memory")
        }
    }

    /// Where `key` appears the second time at or after `mark` (the start of its mapping): the duplicate.
    static func duplicatePosition(
        of key: String,
        afterLine markLine: Int,
        column markColumn: Int,
        in text: String
    ) -> (Int, Int)? {
        let lines = yamlLines(text)
        // libyaml's marks count its own line breaks; a mark past the lines found here is not trusted.
        guard markLine >= 1, markLine <= lines.count else { return nil }
        var seen = 0
        for lineIndex in (markLine - 1)..<lines.count {
            let scalars = lines[lineIndex]
            let keyScalars = Array(key.unicodeScalars)
            let first = lineIndex == markLine - 1 ? max(0, markColumn - 1) : 0
            var column = first
            while column + keyScalars.count <= scalars.count {
                let before = column == 0 ? " " : scalars[column - 1]
                if [" ", "{", ",", "\t", "-"].contains(before),
                    Array(scalars[column..<(column + keyScalars.count)]) == keyScalars
                {
                    var after = column + keyScalars.count
                    while after < scalars.count && scalars[after] == " " { after += 1 }
                    if after < scalars.count && scalars[after] == ":" {
                        seen += 1
                        if seen == 2 { return (lineIndex + 1, column + 1) }
                    }
                }
                column += 1
            }
        }
        return nil
    }
}
