import Yams

extension YAMLTree {
    /// Throws when the mapping at `index` repeats a key, as Yams' composer does: keys are equal when Yams' nodes
    /// are (the same text and resolved tag, or the same content), and the error names the smallest repeated key
    /// at its first appearance.
    func checkDuplicateKeys(of index: UInt32) throws(YAMLParseError) {
        var keys: [UInt32] = []
        keys.reserveCapacity(Int(records[Int(index)].first) / 2)
        var child = index + 1
        let end = records[Int(index)].second
        while child < end {
            keys.append(child)
            if kind(resolved(child)) == .scalar { records[Int(resolved(child))].packed |= Self.keyFlag }
            child = self.end(self.end(child))
        }
        guard keys.count > 1 else { return }
        // Scalar keys with different texts are never equal: most mappings end here, without Yams.
        if keys.allSatisfy({ kind(resolved($0)) == .scalar }) {
            var seen = Set<String>(minimumCapacity: keys.count)
            if keys.allSatisfy({ seen.insert(text(resolved($0))).inserted }) { return }
        }
        let nodes = keys.map(yamsNode)
        let duplicates = Dictionary(grouping: nodes) { $0 }.filter { $1.count > 1 }
        guard !duplicates.isEmpty else { return }
        // The smallest repeated text key, at its first appearance, as Yams reported keys that are all text. Yams
        // sorted a mix of text and list or mapping keys in hash order, and named a list or mapping
        // '<uncovertable>'; here text keys come first, and a repeated list or mapping is placed where it repeats.
        let texts = duplicates.keys.filter { $0.scalar != nil }.sorted { ($0.string ?? "") < ($1.string ?? "") }
        guard let firstKey = texts.first else {
            let repeated = nodes.indices.filter { duplicates[nodes[$0]] != nil }.dropFirst().first
            let mark = repeated.flatMap { self.mark(resolved(keys[$0])) } ?? (0, 0)
            throw .duplicateKeys(duplicates: [], line: mark.line, column: mark.column)
        }
        let mark = nodes.firstIndex(of: firstKey).flatMap { self.mark(resolved(keys[$0])) } ?? (0, 0)
        throw .duplicateKeys(duplicates: texts.compactMap(\.string), line: mark.line, column: mark.column)
    }

    /// Whether the key at `index` equals the plain key `key` as Yams' `mapping[key]` compares them: `Node(key,
    /// Tag(.implicit))`, the same text and the same resolved tag.
    ///
    /// Yams is asked only for a quoted or tagged scalar with the same text. Anything else is decided here: another
    /// text, a list or a mapping never equals the key, and a plain untagged scalar with the same text always does
    /// (both tags resolve from the same text). Making a Yams `Tag` compiles `Resolver.default`'s dozen ICU
    /// regular expressions on first use, which cost every `--set` 2.3 MiB of peak memory (issue 20 point 5).
    func isYamsEqual(_ index: UInt32, toPlainKey key: String) -> Bool {
        let index = resolved(index)
        guard kind(index) == .scalar, text(index) == key else { return false }
        guard records[Int(index)].packed & (Self.quotedImplicitFlag | Self.taggedFlag) != 0 else { return true }
        return yamsNode(index) == Node(key, Tag(.implicit))
    }

    /// The Yams node of a subtree, without marks: compared with Yams' own equality where Yams compared keys.
    func yamsNode(_ index: UInt32) -> Node {
        let index = resolved(index)
        let name = tag(index).map { Tag.Name(rawValue: $0) }
        switch kind(index) {
        case .scalar, .alias:
            let quoted = records[Int(index)].packed & Self.quotedImplicitFlag != 0
            let tagName = quoted ? Tag.Name.str : name ?? .implicit
            return .scalar(.init(text(index), Tag(tagName), Node.Scalar.Style(rawValue: style(index)) ?? .any))
        case .sequence:
            return .sequence(
                .init(YAMLNode(tree: self, index: index).items.map { yamsNode($0.index) }, Tag(name ?? .implicit))
            )
        case .mapping:
            let pairs = YAMLNode(tree: self, index: index).pairs.map {
                (yamsNode($0.key.index), yamsNode($0.value.index))
            }
            return .mapping(.init(pairs, Tag(name ?? .implicit)))
        }
    }
}
