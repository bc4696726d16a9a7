extension YAMLTree {
    /// Appends the nodes of `other` (a `--set` value) without their marks, so that issues about them point at
    /// the command line; returns the index of its root, or of a new null scalar when `other` is empty.
    func graft(_ other: YAMLTree) -> UInt32 {
        guard let otherRoot = other.root else {
            let index = [UInt8]().withUnsafeBufferPointer {
                appendScalar($0, line: 0, packed: Self.packed(kind: .scalar, column: 0, flags: Self.taggedFlag))
            }
            tags[index] = Self.nullTag
            return index
        }
        let recordOffset = UInt32(records.count)
        let byteOffset = UInt32(scalarBytes.count)
        scalarBytes.append(contentsOf: other.scalarBytes)
        records.reserveCapacity(records.count + other.records.count)
        for (index, var record) in other.records.enumerated() {
            record.line = 0
            record.packed &= ~Self.columnMask
            switch other.kind(UInt32(index)) {
            case .scalar: record.first += byteOffset
            case .alias: record.first += recordOffset
            case .sequence, .mapping: record.second += recordOffset
            }
            records.append(record)
        }
        for (index, tag) in other.tags { tags[index + recordOffset] = tag }
        return otherRoot + recordOffset
    }

    /// The raw indices (aliases not followed) of a container's children.
    func children(of index: UInt32) -> [UInt32] {
        guard kind(index) == .sequence || kind(index) == .mapping else { return [] }
        if isBuilt(index) { return builtChildren[Int(records[Int(index)].second)] }
        var children: [UInt32] = []
        children.reserveCapacity(childCount(index))
        var child = index + 1
        while child < records[Int(index)].second {
            children.append(child)
            child = end(child)
        }
        return children
    }

    /// A new container with the given children, keeping the line, column and tag of `original` when there is one.
    func builtContainer(_ kind: Kind, children: [UInt32], copying original: UInt32?) -> UInt32 {
        var line: UInt32 = 0
        var packed = Self.packed(kind: kind, column: 0, flags: Self.builtFlag)
        if let original {
            line = records[Int(original)].line
            packed |= records[Int(original)].packed & (Self.columnMask | Self.taggedFlag)
        }
        builtChildren.append(children)
        let index = append(Record(first: 0, second: UInt32(builtChildren.count - 1), line: line, packed: packed))
        if let original, let tag = tags[original] { tags[index] = tag }
        return index
    }

    /// A new plain key without a mark, as Yams' `Node(key)`.
    func builtKey(_ key: String) -> UInt32 {
        Array(key.utf8).withUnsafeBufferPointer {
            appendScalar($0, line: 0, packed: Self.packed(kind: .scalar, column: 0))
        }
    }
}
