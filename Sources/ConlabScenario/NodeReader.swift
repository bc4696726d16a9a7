public import ConlabCore

/// Reads typed values out of a YAML node tree, recording an issue (with location and key path) for
/// every value that is missing or malformed instead of stopping at the first.
///
/// A workload's reader (``ScenarioWorkload/read(_:reader:seed:)``) reads its keys through one: each method
/// returns the value, or records what was expected where and returns `nil`.
public final class NodeReader {
    /// The file the nodes come from, as the user named it.
    public let file: String
    /// Every problem found so far.
    public private(set) var issues: [ScenarioIssue] = []

    /// Creates a reader for nodes of `file`.
    public init(file: String) {
        self.file = file
    }

    // MARK: Locations and issues

    /// Where `node` is, or the `--set` that wrote it.
    public func location(of node: YAMLNode?, path: String) -> SourceLocation {
        if let mark = node?.mark { return SourceLocation(file: file, line: mark.line, column: mark.column) }
        // Nodes without a mark were written by --set on the command line.
        return SourceLocation(file: "--set \(path)", line: 0, column: 0)
    }

    /// Records an issue found elsewhere.
    public func append(_ issue: ScenarioIssue) { issues.append(issue) }

    /// Records `message` about `node` at `path`.
    public func report(_ node: YAMLNode?, _ path: String, _ message: String) {
        issues.append(ScenarioIssue(location: location(of: node, path: path), path: path, message: message))
    }

    /// Records that `path` should be `form`, and what it was.
    public func expected(_ node: YAMLNode, _ path: String, _ form: String) {
        report(node, path, "expected \(form), found \(Self.describe(node))")
    }

    /// What `node` is, in a message's words: `'text'`, `a mapping`, `a list` or `nothing (null)`.
    public static func describe(_ node: YAMLNode) -> String {
        switch node.kind {
        case .scalar:
            let text = node.string ?? ""
            if text.isEmpty || node.isNull { return "nothing (null)" }
            return quoted(text)
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    /// The longest echo of a value, in characters: a 16 MB scalar must not be printed whole.
    public static let echoLimit = 80

    /// `text` in single quotes, as a message echoes it: on one line (newlines, tabs and other control
    /// characters escaped as `\n`, `\t`, `\u{1}`) and cut to ``echoLimit`` characters.
    public static func quoted(_ text: String) -> String {
        var echo = ""
        var written = 0
        for scalar in text.unicodeScalars {
            guard written < echoLimit else {
                return "'\(echo)…' (\(text.unicodeScalars.count) characters)"
            }
            switch scalar {
            case "\n": echo += "\\n"
            case "\t": echo += "\\t"
            case "\r": echo += "\\r"
            case "\\": echo += "\\\\"
            case _
            where scalar.properties.generalCategory == .control
                || scalar.properties.generalCategory == .format
                || scalar.properties.generalCategory == .lineSeparator
                || scalar.properties.generalCategory == .paragraphSeparator:
                echo += "\\u{\(String(scalar.value, radix: 16))}"
            default: echo.unicodeScalars.append(scalar)
            }
            written += 1
        }
        return "'\(echo)'"
    }

    /// `path.key`, or `key` at the top.
    public static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    // MARK: Mappings

    /// A mapping whose keys are checked: ``MappingReader/finish()`` reports every key nobody asked for.
    public func mapping(_ node: YAMLNode, _ path: String) -> MappingReader? {
        guard node.kind == .mapping else {
            expected(node, path, "a mapping of keys to values")
            return nil
        }
        return MappingReader(reader: self, node: node, path: path)
    }

    // MARK: Scalars

    /// A scalar's text; `nil` (and no issue) for a list, a mapping or null.
    public func scalarText(_ node: YAMLNode) -> String? {
        guard node.kind == .scalar, !node.isNull else { return nil }
        return node.string
    }

    /// A text value, or an issue expecting `form`.
    public func string(_ node: YAMLNode, _ path: String, _ form: String = "a text value") -> String? {
        guard let text = scalarText(node) else {
            expected(node, path, form)
            return nil
        }
        return text
    }

    /// A whole number in `range` (digits may be grouped with `_`).
    public func integer(_ node: YAMLNode, _ path: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = scalarText(node), let value = Int(text.replacingUnderscores()), range.contains(value) else {
            expected(node, path, "a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// A whole number from 0 to `UInt64.max`.
    public func unsigned(_ node: YAMLNode, _ path: String) -> UInt64? {
        guard let text = scalarText(node), let value = UInt64(text.replacingUnderscores()) else {
            expected(node, path, "a whole number from 0 to \(UInt64.max)")
            return nil
        }
        return value
    }

    /// A finite number in `range`, or an issue expecting `form`.
    public func number(_ node: YAMLNode, _ path: String, in range: ClosedRange<Double>, form: String) -> Double? {
        guard let text = scalarText(node), let value = Double(text.replacingUnderscores()), value.isFinite,
            range.contains(value)
        else {
            expected(node, path, form)
            return nil
        }
        return value
    }

    /// `true` or `false`.
    public func bool(_ node: YAMLNode, _ path: String) -> Bool? {
        switch scalarText(node) {
        case "true": return true
        case "false": return false
        default:
            expected(node, path, "true or false")
            return nil
        }
    }

    /// A duration such as `100ms`; with `positive`, more than zero.
    public func duration(_ node: YAMLNode, _ path: String, positive: Bool = false) -> Duration? {
        guard let text = scalarText(node), let value = DurationSyntax.parse(text), !positive || value > .zero else {
            expected(node, path, (positive ? "a positive duration: " : "a duration: ") + DurationSyntax.unitsForm)
            return nil
        }
        return value
    }

    /// One of `Choice`'s raw values.
    public func choice<Choice: RawRepresentable & CaseIterable>(
        _ node: YAMLNode,
        _ path: String,
        as type: Choice.Type
    )
        -> Choice? where Choice.RawValue == String
    {
        guard let text = scalarText(node), let value = Choice(rawValue: text) else {
            expected(node, path, "one of " + Choice.allCases.map(\.rawValue).joined(separator: ", "))
            return nil
        }
        return value
    }

    /// A list's items, read in place: a list of 840,000 cells is not copied into an array of nodes.
    public func sequence(_ node: YAMLNode, _ path: String, form: String) -> YAMLNode.Children? {
        guard node.kind == .sequence else {
            expected(node, path, form)
            return nil
        }
        return node.items
    }
}

/// A mapping being read: remembers which keys were asked for, to reject the others.
public final class MappingReader {
    /// The reader issues go to.
    public let reader: NodeReader
    /// The mapping.
    public let node: YAMLNode
    /// Its key path, e.g. `workload`.
    public let path: String
    private let pairs: [(key: String, keyNode: YAMLNode, value: YAMLNode)]
    /// Where each key's pair is in `pairs`: an `env` mapping of 100,000 keys is read in linear time.
    private let positions: [String: Int]
    /// The keys asked for, in the order asked (the order messages list them in)...
    private var asked: [String] = []
    /// ...and which pairs they found.
    private var found: [Bool]

    init(reader: NodeReader, node: YAMLNode, path: String) {
        self.reader = reader
        self.node = node
        self.path = path
        var pairs: [(String, YAMLNode, YAMLNode)] = []
        var positions: [String: Int] = [:]
        pairs.reserveCapacity(node.count)
        positions.reserveCapacity(node.count)
        for (key, value) in node.pairs {
            guard let name = reader.scalarText(key) else {
                reader.expected(key, path, "a plain key")
                continue
            }
            if positions[name] != nil {
                reader.report(
                    key,
                    NodeReader.join(path, name),
                    "key \(NodeReader.quoted(name)) appears twice in the same mapping"
                )
                continue
            }
            positions[name] = pairs.count
            pairs.append((name, key, value))
        }
        self.pairs = pairs
        self.positions = positions
        self.found = Array(repeating: false, count: pairs.count)
    }

    /// The keys written, in order.
    public var keys: [String] { pairs.map(\.key) }

    /// The key path of `key` in this mapping.
    public func path(_ key: String) -> String { NodeReader.join(path, key) }

    /// The value of `key`, or `nil` (and no issue) when absent.
    public func optional(_ key: String) -> YAMLNode? {
        guard let position = positions[key] else {
            // Keys that are absent are asked by name in the code: a handful.
            if !asked.contains(key) { asked.append(key) }
            return nil
        }
        if !found[position] {
            found[position] = true
            asked.append(key)
        }
        return pairs[position].value
    }

    /// Every pair, all counted as asked for: for mappings whose keys are the user's own, such as `env`.
    public func all() -> [(key: String, value: YAMLNode)] {
        found = Array(repeating: true, count: pairs.count)
        return pairs.map { ($0.key, $0.value) }
    }

    /// The value of `key`, or an issue naming the missing key and its form.
    public func required(_ key: String, form: String) -> YAMLNode? {
        guard let value = optional(key) else {
            reader.report(node, path(key), "missing required key '\(key)' (\(form))")
            return nil
        }
        return value
    }

    /// Reports every key that was never asked for, listing the keys that are allowed.
    public func finish() {
        let allowed = asked.map { "'\($0)'" }.joined(separator: ", ")
        for (position, pair) in pairs.enumerated() where !found[position] {
            reader.report(
                pair.keyNode,
                path(pair.key),
                "unknown key \(NodeReader.quoted(pair.key)); expected one of \(allowed)"
            )
        }
    }
}

extension String {
    /// YAML 1.1 integers may group digits with underscores.
    fileprivate func replacingUnderscores() -> String { filter { $0 != "_" } }
}
