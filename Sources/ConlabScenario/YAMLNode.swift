/// One node of a ``YAMLTree``, as the scenario readers see it: a scalar, a list or a mapping, with the line and
/// column it starts at. Aliases are already followed to their anchored node, as Yams' composer did.
public struct YAMLNode {
    /// What a node is.
    public enum Kind: Sendable {
        /// A scalar: text, a number, null.
        case scalar
        /// A list.
        case sequence
        /// A mapping.
        case mapping
    }

    let tree: YAMLTree
    /// The node's record; never an alias.
    let index: UInt32

    init(tree: YAMLTree, index: UInt32) {
        self.tree = tree
        self.index = tree.resolved(index)
    }

    /// Whether the node is a scalar, a list or a mapping.
    public var kind: Kind {
        switch tree.kind(index) {
        case .scalar, .alias: .scalar
        case .sequence: .sequence
        case .mapping: .mapping
        }
    }

    /// A scalar's text; `nil` for a list or a mapping.
    public var string: String? { kind == .scalar ? tree.text(index) : nil }

    /// The scalar is null to the readers: tagged `!!null`, or a plain key `~`, `null` or empty (Yams' composer
    /// left other nulls as text; see ``YAMLTree/keyFlag``).
    public var isNull: Bool { kind == .scalar && tree.isNull(index) }

    /// The scalar is written plain (not quoted, not a block): `1` is a number, `'1'` text.
    public var isPlain: Bool { tree.style(index) <= 1 }

    /// Line and column of the node's start; `nil` when the node was given on the command line.
    public var mark: (line: Int, column: Int)? { tree.mark(index) }

    /// A list's items, or a mapping's keys and values in turn.
    public var items: Children { Children(tree: tree, parent: index) }

    /// A list's item count, or a mapping's pair count; 0 for a scalar.
    public var count: Int {
        switch kind {
        case .scalar: 0
        case .sequence: tree.childCount(index)
        case .mapping: tree.childCount(index) / 2
        }
    }

    /// A mapping's pairs, in order.
    public var pairs: [(key: YAMLNode, value: YAMLNode)] {
        var pairs: [(key: YAMLNode, value: YAMLNode)] = []
        pairs.reserveCapacity(count)
        var iterator = items.makeIterator()
        while let key = iterator.next(), let value = iterator.next() { pairs.append((key, value)) }
        return pairs
    }

    /// The two items of a list of exactly two, such as `[row, column]`; read without building an array.
    public var twoItems: (YAMLNode, YAMLNode)? {
        guard kind == .sequence, tree.childCount(index) == 2 else { return nil }
        var iterator = items.makeIterator()
        guard let first = iterator.next(), let second = iterator.next() else { return nil }
        return (first, second)
    }

    /// The children of a container, read in place: a parsed container's by skipping subtrees, a built one's
    /// from its list.
    public struct Children: Collection {
        let tree: YAMLTree
        let parent: UInt32

        /// A record index for a parsed container, a position in its list for a built one.
        public typealias Index = Int

        /// The first child's position.
        public var startIndex: Int {
            tree.kind(parent) == .scalar ? 0 : tree.isBuilt(parent) ? 0 : Int(parent) + 1
        }

        /// Past the last child.
        public var endIndex: Int {
            switch tree.kind(parent) {
            case .scalar, .alias: 0
            case .sequence, .mapping:
                tree.isBuilt(parent) ? tree.childCount(parent) : Int(tree.records[Int(parent)].second)
            }
        }

        /// How many children.
        public var count: Int { tree.kind(parent) == .scalar ? 0 : tree.childCount(parent) }

        /// The next child's position.
        public func index(after position: Int) -> Int {
            tree.isBuilt(parent) ? position + 1 : Int(tree.end(UInt32(position)))
        }

        /// The child at `position`.
        public subscript(position: Int) -> YAMLNode {
            let record =
                tree.isBuilt(parent)
                ? tree.builtChildren[Int(tree.records[Int(parent)].second)][position] : UInt32(position)
            return YAMLNode(tree: tree, index: record)
        }
    }
}
