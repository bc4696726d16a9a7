public import ConlabCore
import ConlabLatency
import ConlabToolkit
import Foundation

/// Reads scenario files (format v1, `docs/scenario-format.md`) into validated ``Scenario`` values.
///
/// Every problem is reported with its file, line, column, key path and expected form; a file with any
/// problem yields a ``ScenarioError`` listing all of them and nothing runs.
public struct ScenarioLoader: Sendable {
    /// The strategies scenario files may name.
    public let registry: StrategyRegistry
    /// The workload kinds scenario files may use.
    public let workloads: WorkloadRegistry

    /// The largest scenario file read, in bytes (8 MiB): a 1000×1000 picture takes 1 MiB, and reading costs up
    /// to about 20 bytes of memory per byte of YAML (a list of jobs; 10 for lists of numbers), so larger files
    /// are refused before they are read.
    public static let maximumFileBytes = 8 << 20
    /// What `workload.kind` may be, for error messages.
    private var kindForm: String { "one of: " + workloads.kinds.joined(separator: ", ") }

    /// Creates a loader for the given strategies and workload kinds.
    public init(registry: StrategyRegistry, workloads: WorkloadRegistry) {
        self.registry = registry
        self.workloads = workloads
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

    private func readWorkload(_ node: YAMLNode, reader: NodeReader, seed: UInt64) -> (any ScenarioWorkload)? {
        guard let mapping = reader.mapping(node, "workload") else { return nil }
        guard let kindNode = mapping.required("kind", form: kindForm)
        else {
            return nil
        }
        // The kind's own reader takes the rest of the mapping; the keys it never asked for are reported here.
        guard let kind = reader.scalarText(kindNode), let type = workloads.workload(kind: kind) else {
            reader.expected(kindNode, "workload.kind", kindForm)
            return nil
        }
        let workload = type.read(mapping, reader: reader, seed: seed)
        mapping.finish()
        return workload
    }

    // MARK: Strategies

    private func readStrategies(
        _ node: YAMLNode,
        reader: NodeReader,
        workload: (any ScenarioWorkload)?
    ) -> [StrategySpec]? {
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
}
