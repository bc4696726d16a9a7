import ConlabCore

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

    /// Applies this override to `tree`'s root, or says why it cannot be applied.
    ///
    /// Containers on the path are copied with the new child, never changed in place: a node an alias shares
    /// with another place keeps its value there, as it did when Yams' nodes were values.
    func apply(to tree: YAMLTree) -> ScenarioIssue? {
        let valueTree: YAMLTree
        do {
            valueTree = try YAMLTree.parse(value)
        } catch {
            return issue("the value '\(value)' is not valid YAML")
        }
        guard let root = tree.root else { return issue("the file has no document to set a value in") }
        let valueIndex = tree.graft(valueTree)
        switch set(valueIndex, at: path[...], in: root, tree: tree) {
        case .success(let newRoot):
            tree.root = newRoot
            return nil
        case .failure(let problem):
            return issue(problem.message)
        }
    }

    private func issue(_ message: String) -> ScenarioIssue {
        ScenarioIssue(
            location: .init(file: "--set \(dottedPath)", line: 0, column: 0),
            path: dottedPath,
            message: message
        )
    }

    private func set(
        _ value: UInt32,
        at path: ArraySlice<String>,
        in position: UInt32,
        tree: YAMLTree
    ) -> Result<UInt32, Problem> {
        guard let key = path.first else { return .success(value) }
        let rest = path.dropFirst()
        let node = YAMLNode(tree: tree, index: position)
        var children = tree.children(of: node.index)
        switch node.kind {
        case .mapping:
            // Found as Yams' `mapping[key]` finds it (the same text and resolved tag), replaced where the text is
            // the same: the two differ only for quoted keys that look like numbers.
            let keys = stride(from: 0, to: children.count, by: 2)
            let found = keys.reversed().first { tree.isYamsEqual(children[$0], toPlainKey: key) }
            let child = found.map { children[$0 + 1] } ?? tree.builtContainer(.mapping, children: [], copying: nil)
            return set(value, at: rest, in: child, tree: tree).map { newChild in
                if let slot = keys.first(where: { YAMLNode(tree: tree, index: children[$0]).string == key }) {
                    children[slot + 1] = newChild
                } else {
                    children += [tree.builtKey(key), newChild]
                }
                return tree.builtContainer(.mapping, children: children, copying: node.index)
            }
        case .sequence:
            guard let index = Int(key), children.indices.contains(index) else {
                return .failure(
                    Problem(
                        message: "'\(key)' is not an index of the list at this point (it has \(children.count) items)"
                    )
                )
            }
            return set(value, at: rest, in: children[index], tree: tree).map { newChild in
                children[index] = newChild
                return tree.builtContainer(.sequence, children: children, copying: node.index)
            }
        case .scalar:
            return .failure(Problem(message: "cannot set '\(key)' inside a plain value"))
        }
    }

    private struct Problem: Error {
        var message: String
    }
}
