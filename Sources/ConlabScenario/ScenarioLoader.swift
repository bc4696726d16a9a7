import ConlabCore
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
}
