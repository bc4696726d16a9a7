import ConlabCore
import ConlabIO
import ConlabLatency
import ConlabScenario

/// Reads the `subprocess` workload: jobs of one command (`run`) or a chain (`chain`) of them.
enum SubprocessReader {
    static let signals: [String: Int32] = ["SIGHUP": 1, "SIGINT": 2, "SIGKILL": 9, "SIGPIPE": 13, "SIGTERM": 15]

    static func read(_ mapping: MappingReader, reader: NodeReader, seed: UInt64) -> SubprocessWorkload? {
        guard
            let list = mapping.required("jobs", form: "a list of jobs with 'run' or 'chain'")
                .flatMap({ reader.sequence($0, "workload.jobs", form: "a list of jobs with 'run' or 'chain'") })
        else { return nil }
        if list.isEmpty {
            reader.report(mapping.optional("jobs"), "workload.jobs", "expected at least one job, found an empty list")
            return nil
        }
        var jobs: [SubprocessWorkload.Job] = []
        for (index, node) in list.enumerated() {
            if let job = readJob(node, path: "workload.jobs.\(index)", reader: reader) { jobs.append(job) }
        }
        return jobs.count == list.count ? SubprocessWorkload(jobs: jobs, random: CounterRandom(seed: seed)) : nil
    }

    private static func readJob(_ node: YAMLNode, path: String, reader: NodeReader) -> SubprocessWorkload.Job? {
        guard let job = reader.mapping(node, path) else { return nil }
        defer { job.finish() }
        var commands: [ChildCommand]?
        switch (job.keys.contains("run"), job.keys.contains("chain")) {
        case (true, false):
            commands = readCommand(job, reader: reader).map { [$0] }
        case (false, true):
            let chainNode = job.optional("chain")!
            if let links = reader.sequence(chainNode, job.path("chain"), form: "a list of commands with 'run'") {
                let read = links.enumerated().compactMap { index, link -> ChildCommand? in
                    guard let command = reader.mapping(link, job.path("chain.\(index)")) else { return nil }
                    defer { command.finish() }
                    return readCommand(command, reader: reader)
                }
                if links.count < 2 {
                    reader.report(
                        chainNode,
                        job.path("chain"),
                        "expected at least two commands in a chain; use 'run' for one"
                    )
                } else if read.count == links.count {
                    commands = read
                }
            }
        default:
            reader.report(
                node,
                path,
                "expected exactly one of 'run' (one command) or 'chain' (commands connected by pipes)"
            )
            _ = ["run", "chain", "shell", "env", "env_mode", "cwd"].map(job.optional)
        }
        let input = job.optional("stdin").flatMap { readInput($0, path: job.path("stdin"), reader: reader) }
        let timeout = job.optional("timeout").map { reader.duration($0, job.path("timeout"), positive: true) }
        let grace = job.optional("grace").map { reader.duration($0, job.path("grace")) } ?? .seconds(1)
        let poll = job.optional("poll").map { reader.duration($0, job.path("poll"), positive: true) }
        let count = job.optional("count").map { reader.integer($0, job.path("count"), in: 1...10_000) } ?? 1
        let expected =
            job.optional("expect").map { readExpectation($0, path: job.path("expect"), reader: reader) }
            ?? .exited(0)
        let name = job.optional("name").flatMap { reader.string($0, job.path("name")) }
        var capture: Int? = 65536
        if let node = job.optional("capture") {
            let sizes: [(String, Int)] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10), ("", 1)]
            let text = reader.scalarText(node) ?? ""
            capture = sizes.first { text.hasSuffix($0.0) }.flatMap { suffix, size in
                Int(text.dropLast(suffix.count)).flatMap { $0 >= 0 && $0 <= (1 << 30) / size ? $0 * size : nil }
            }
            if capture == nil {
                reader.expected(node, job.path("capture"), "a size in bytes, or with KiB, MiB or GiB (e.g. 64KiB)")
            }
        }
        guard let capture, let commands, let grace, let count, let expected,
            job.optional("stdin") == nil || input != nil,
            timeout ?? .zero != nil, poll ?? .zero != nil
        else { return nil }
        return SubprocessWorkload.Job(
            name: name ?? commands.map { $0.arguments.first ?? "" }.joined(separator: " | "),
            commands: commands,
            input: input ?? .none,
            timeout: timeout ?? nil,
            grace: grace,
            pollInterval: poll ?? nil,
            expected: expected,
            count: count,
            capture: capture
        )
    }

    /// `run`, `shell`, `env`, `env_mode` and `cwd` of one command.
    private static func readCommand(_ command: MappingReader, reader: NodeReader) -> ChildCommand? {
        let shell = command.optional("shell").map { reader.bool($0, command.path("shell")) } ?? false
        guard let runNode = command.required("run", form: "the program and its arguments, e.g. [echo, hello]") else {
            return nil
        }
        var arguments: [String]?
        if shell == true, let text = reader.scalarText(runNode) {
            arguments = [text]
        } else if let items = reader.sequence(
            runNode,
            command.path("run"),
            form: "a list: the program, then its arguments (a shell command line needs shell: true)"
        ) {
            let texts = items.enumerated().compactMap { reader.string($1, command.path("run.\($0)")) }
            if texts.isEmpty { reader.report(runNode, command.path("run"), "expected at least the program's name") }
            arguments = texts.count == items.count && !texts.isEmpty ? texts : nil
        }
        var environment: [String: String] = [:]
        if let envNode = command.optional("env"), let env = reader.mapping(envNode, command.path("env")) {
            let pairs = env.all()
            environment.reserveCapacity(pairs.count)
            for (key, node) in pairs {
                if let value = reader.string(node, env.path(key)) { environment[key] = value }
            }
        }
        var replaces = false
        if let mode = command.optional("env_mode") {
            switch reader.scalarText(mode) {
            case "add": replaces = false
            case "replace": replaces = true
            default: reader.expected(mode, command.path("env_mode"), "add or replace")
            }
        }
        let directory = command.optional("cwd").flatMap { reader.string($0, command.path("cwd")) }
        guard let arguments, let shell else { return nil }
        return ChildCommand(
            arguments: arguments,
            shell: shell,
            environment: environment,
            replacesEnvironment: replaces,
            directory: directory
        )
    }

    private static func readInput(_ node: YAMLNode, path: String, reader: NodeReader) -> SubprocessWorkload.Input? {
        if let text = reader.scalarText(node) { return .text(text) }
        guard let mapping = reader.mapping(node, path) else { return nil }
        defer { mapping.finish() }
        return mapping.required("random_bytes", form: "how many bytes drawn from the seed").flatMap {
            reader.integer($0, mapping.path("random_bytes"), in: 1...100_000_000).map { .randomBytes($0) }
        }
    }

    private static func readExpectation(_ node: YAMLNode, path: String, reader: NodeReader) -> ChildProcess.Termination?
    {
        guard let mapping = reader.mapping(node, path) else { return nil }
        defer { mapping.finish() }
        if let exit = mapping.optional("exit") {
            return reader.integer(exit, mapping.path("exit"), in: 0...255).map { .exited(Int32($0)) }
        }
        guard let signal = mapping.required("signal", form: "exit: N, or signal: SIGTERM") else { return nil }
        guard let text = reader.scalarText(signal), let number = signals[text] ?? Int32(text) else {
            reader.expected(
                signal,
                mapping.path("signal"),
                "a signal name (" + signals.keys.sorted().joined(separator: ", ") + ") or number"
            )
            return nil
        }
        return .signalled(number)
    }
}
