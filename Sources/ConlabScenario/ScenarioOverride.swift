import ConlabCore
import Yams

/// A `--set key.path=value` from the command line: replaces (or adds) one field before validation.
public struct ScenarioOverride: Sendable, Hashable {
    /// The key path, e.g. `["workload", "io", "latency"]`; a number indexes a list.
    public var path: [String]
    /// The value, in YAML syntax (`10ms`, `[serial, async]`, `{ fixed: 1ms }`).
    public var value: String

    /// Parses `key.path=value`; `nil` when there is no `=` or the path is empty.
    public init?(_ assignment: String) {
        guard let equals = assignment.firstIndex(of: "=") else { return nil }
        let path = assignment[..<equals].split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !path.isEmpty, !path.contains(where: \.isEmpty) else { return nil }
        self.path = path
        self.value = String(assignment[assignment.index(after: equals)...])
    }

    /// The dotted key path.
    public var dottedPath: String { path.joined(separator: ".") }

    /// `root` with this override applied, or a message saying why it cannot be.
    func apply(to root: Node) -> Result<Node, ScenarioIssue> {
        let valueNode: Node
        do {
            valueNode = Self.unmarked(try Yams.compose(yaml: value) ?? Node("", .init(.null)))
        } catch {
            return .failure(issue("the value '\(value)' is not valid YAML"))
        }
        return set(valueNode, at: path[...], in: root).mapError { issue($0.message) }
    }

    private func issue(_ message: String) -> ScenarioIssue {
        ScenarioIssue(
            location: .init(file: "--set \(dottedPath)", line: 0, column: 0),
            path: dottedPath,
            message: message
        )
    }

    private func set(_ value: Node, at path: ArraySlice<String>, in node: Node) -> Result<Node, Problem> {
        guard let key = path.first else { return .success(value) }
        let rest = path.dropFirst()
        switch node {
        case .mapping(var mapping):
            let child = mapping[key] ?? Node([(Node, Node)]())
            return set(value, at: rest, in: child).map { newChild in
                if let index = mapping.firstIndex(where: { $0.key.string == key }) {
                    mapping[index] = (mapping[index].key, newChild)
                } else {
                    mapping = Node.Mapping(
                        Array(mapping) + [(Node(key), newChild)],
                        mapping.tag,
                        mapping.style,
                        mapping.mark
                    )
                }
                return Node.mapping(mapping)
            }
        case .sequence(var sequence):
            guard let index = Int(key), sequence.indices.contains(index) else {
                return .failure(
                    Problem(
                        message: "'\(key)' is not an index of the list at this point (it has \(sequence.count) items)"
                    )
                )
            }
            return set(value, at: rest, in: sequence[index]).map { newChild in
                sequence[index] = newChild
                return Node.sequence(sequence)
            }
        default:
            return .failure(Problem(message: "cannot set '\(key)' inside a plain value"))
        }
    }

    private struct Problem: Error {
        var message: String
    }

    /// Drops source marks, so issues about this value point at `--set`, not at line 1 of the value.
    private static func unmarked(_ node: Node) -> Node {
        switch node {
        case .scalar(let scalar):
            return .scalar(Node.Scalar(scalar.string, scalar.tag, scalar.style, nil))
        case .mapping(let mapping):
            return .mapping(
                Node.Mapping(mapping.map { (unmarked($0.key), unmarked($0.value)) }, mapping.tag, mapping.style, nil)
            )
        case .sequence(let sequence):
            return .sequence(Node.Sequence(sequence.map(unmarked), sequence.tag, sequence.style, nil))
        case .alias:
            return node
        }
    }
}
