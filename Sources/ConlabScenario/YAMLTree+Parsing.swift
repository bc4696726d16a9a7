import CYaml

extension YAMLTree {
    /// Parses one YAML document, as Yams' `compose(yaml:)` does, into a flat tree.
    ///
    /// Yams' behaviour is kept: one document at most (an empty stream has no ``root``), aliases stand for the
    /// node last anchored with their name before them, a mapping with a repeated key is an error when the
    /// mapping ends, and libyaml's own limits (1000 levels of nesting) apply.
    static func parse(_ text: String) throws(YAMLParseError) -> YAMLTree {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(YAMLParseError) -> YAMLTree in try parse(bytes: bytes) }
        }
        return try result.get()
    }

    /// Parses one YAML document held as UTF-8 bytes.
    static func parse(bytes: UnsafeBufferPointer<UInt8>) throws(YAMLParseError) -> YAMLTree {
        let tree = YAMLTree(reservingFor: bytes.count)
        // libyaml asserts its input pointer is not null, and an empty stream has no document anyway.
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return tree }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { throw .memory }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(&parser, base, bytes.count)
        var event = yaml_event_t()
        defer { yaml_event_delete(&event) }

        func next() throws(YAMLParseError) {
            yaml_event_delete(&event)
            guard yaml_parser_parse(&parser, &event) == 1 else { throw error(of: parser) }
        }

        try next()  // the stream's start
        try next()
        if event.type == YAML_STREAM_END_EVENT { return tree }  // no document: an empty file
        var builder = Builder(tree: tree)
        repeat {
            try next()
            try builder.take(event)
        } while tree.root == nil
        try next()  // the document's end
        try next()
        if event.type != YAML_STREAM_END_EVENT {
            throw .syntax(
                context: "expected a single document in the stream",
                problem: "but found another document",
                line: Int(event.start_mark.line) + 1,
                column: Int(event.start_mark.column) + 1
            )
        }
        return tree
    }

    private static func error(of parser: yaml_parser_t) -> YAMLParseError {
        let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
        switch parser.error {
        case YAML_MEMORY_ERROR:
            return .memory
        case YAML_READER_ERROR:
            return .reader(problem: problem, byteOffset: parser.problem_offset, value: parser.problem_value)
        default:
            return .syntax(
                context: parser.context.map { String(cString: $0) },
                problem: problem,
                line: Int(parser.problem_mark.line) + 1,
                column: Int(parser.problem_mark.column) + 1
            )
        }
    }

    /// Turns events into records: the open containers on a stack, the anchors by name.
    private struct Builder {
        let tree: YAMLTree
        var open: [(index: UInt32, anchor: String?)] = []
        var anchors: [String: UInt32] = [:]

        init(tree: YAMLTree) {
            self.tree = tree
        }

        mutating func take(_ event: yaml_event_t) throws(YAMLParseError) {
            let line = Int(event.start_mark.line) + 1
            let column = Int(event.start_mark.column) + 1
            switch event.type {
            case YAML_ALIAS_EVENT:
                let name = Self.string(event.data.alias.anchor) ?? ""
                guard let target = anchors[name] else {
                    throw .syntax(context: nil, problem: "found undefined alias", line: line, column: column)
                }
                added(
                    tree.append(
                        Record(
                            first: target,
                            second: 0,
                            line: UInt32(line),
                            packed: packed(kind: .alias, column: column)
                        )
                    ),
                    anchor: nil
                )
            case YAML_SCALAR_EVENT:
                let scalar = event.data.scalar
                var flags: UInt32 = 0
                var tag: String?
                if scalar.quoted_implicit == 1 {
                    flags = YAMLTree.quotedImplicitFlag
                } else if let name = Self.string(scalar.tag) {
                    tag = name
                    flags = YAMLTree.taggedFlag
                }
                let index = tree.appendScalar(
                    UnsafeBufferPointer(start: scalar.value, count: scalar.length),
                    line: line,
                    packed: packed(kind: .scalar, column: column, style: scalar.style.rawValue, flags: flags)
                )
                if let tag { tree.tags[index] = tag }
                added(index, anchor: Self.string(scalar.anchor))
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                // The two start events share one layout; Yams reads a mapping's tag through the sequence's too.
                let start = event.data.sequence_start
                let kind: Kind = event.type == YAML_SEQUENCE_START_EVENT ? .sequence : .mapping
                let tag = start.implicit != 0 ? nil : Self.string(start.tag)
                let index = tree.append(
                    Record(
                        first: 0,
                        second: 0,
                        line: UInt32(line),
                        packed: packed(kind: kind, column: column, flags: tag == nil ? 0 : YAMLTree.taggedFlag)
                    )
                )
                if let tag { tree.tags[index] = tag }
                if let parent = open.last { tree.records[Int(parent.index)].first += 1 }
                open.append((index, Self.string(start.anchor)))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let (index, anchor) = open.popLast() else { return }
                tree.records[Int(index)].second = UInt32(tree.records.count)
                if event.type == YAML_MAPPING_END_EVENT { try tree.checkDuplicateKeys(of: index) }
                // The container was counted in its parent when it started.
                register(index, anchor: anchor)
                if open.isEmpty { tree.root = index }
            default:
                break
            }
        }

        private func packed(kind: Kind, column: Int, style: UInt32 = 0, flags: UInt32 = 0) -> UInt32 {
            YAMLTree.packed(kind: kind, column: column, style: style, flags: flags)
        }

        /// A scalar or an alias is complete: counted in its parent, anchored, or the root.
        private mutating func added(_ index: UInt32, anchor: String?) {
            if let parent = open.last {
                tree.records[Int(parent.index)].first += 1
            } else {
                tree.root = index
            }
            register(index, anchor: anchor)
        }

        /// Anchors name a node once it is complete, as Yams registers them; a later anchor shadows an earlier one.
        private mutating func register(_ index: UInt32, anchor: String?) {
            if let anchor { anchors[anchor] = index }
        }

        private static func string(_ pointer: UnsafeMutablePointer<UInt8>?) -> String? {
            pointer.map { String(decodingCString: $0, as: UTF8.self) }
        }
    }
}
