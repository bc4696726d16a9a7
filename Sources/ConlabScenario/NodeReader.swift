import ConlabCore
import Yams

/// Reads typed values out of a YAML node tree, recording an issue (with location and key path) for
/// every value that is missing or malformed instead of stopping at the first.
final class NodeReader {
    let file: String
    private(set) var issues: [ScenarioIssue] = []

    init(file: String) {
        self.file = file
    }

    // MARK: Locations and issues

    func location(of node: Node?, path: String) -> SourceLocation {
        if let mark = node?.mark { return SourceLocation(file: file, line: mark.line, column: mark.column) }
        // Nodes without a mark were written by --set on the command line.
        return SourceLocation(file: "--set \(path)", line: 0, column: 0)
    }

    func append(_ issue: ScenarioIssue) { issues.append(issue) }

    func report(_ node: Node?, _ path: String, _ message: String) {
        issues.append(ScenarioIssue(location: location(of: node, path: path), path: path, message: message))
    }

    func expected(_ node: Node, _ path: String, _ form: String) {
        report(node, path, "expected \(form), found \(Self.describe(node))")
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let scalar):
            if scalar.string.isEmpty || scalar.tag.rawValue == Tag.Name.null.rawValue { return "nothing (null)" }
            return quoted(scalar.string)
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    /// The longest echo of a value, in characters: a 16 MB scalar must not be printed whole.
    static let echoLimit = 80

    /// `text` in single quotes, as a message echoes it: on one line (newlines, tabs and other control
    /// characters escaped as `\n`, `\t`, `\u{1}`) and cut to ``echoLimit`` characters.
    static func quoted(_ text: String) -> String {
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

    static func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    // MARK: Mappings

    /// A mapping whose keys are checked: ``MappingReader/finish()`` reports every key nobody asked for.
    func mapping(_ node: Node, _ path: String) -> MappingReader? {
        guard case .mapping(let mapping) = node else {
            expected(node, path, "a mapping of keys to values")
            return nil
        }
        return MappingReader(reader: self, node: node, mapping: mapping, path: path)
    }

    // MARK: Scalars

    func scalarText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node, scalar.tag.rawValue != Tag.Name.null.rawValue else { return nil }
        return scalar.string
    }

    func string(_ node: Node, _ path: String, _ form: String = "a text value") -> String? {
        guard let text = scalarText(node) else {
            expected(node, path, form)
            return nil
        }
        return text
    }

    func integer(_ node: Node, _ path: String, in range: ClosedRange<Int>) -> Int? {
        guard let text = scalarText(node), let value = Int(text.replacingUnderscores()), range.contains(value) else {
            expected(node, path, "a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    func unsigned(_ node: Node, _ path: String) -> UInt64? {
        guard let text = scalarText(node), let value = UInt64(text.replacingUnderscores()) else {
            expected(node, path, "a whole number from 0 to \(UInt64.max)")
            return nil
        }
        return value
    }

    func number(_ node: Node, _ path: String, in range: ClosedRange<Double>, form: String) -> Double? {
        guard let text = scalarText(node), let value = Double(text.replacingUnderscores()), value.isFinite,
            range.contains(value)
        else {
            expected(node, path, form)
            return nil
        }
        return value
    }

    func bool(_ node: Node, _ path: String) -> Bool? {
        switch scalarText(node) {
        case "true": return true
        case "false": return false
        default:
            expected(node, path, "true or false")
            return nil
        }
    }

    func duration(_ node: Node, _ path: String, positive: Bool = false) -> Duration? {
        guard let text = scalarText(node), let value = DurationSyntax.parse(text), !positive || value > .zero else {
            expected(node, path, (positive ? "a positive duration: " : "a duration: ") + DurationSyntax.unitsForm)
            return nil
        }
        return value
    }

    func choice<Choice: RawRepresentable & CaseIterable>(
        _ node: Node,
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

    func sequence(_ node: Node, _ path: String, form: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            expected(node, path, form)
            return nil
        }
        return Array(sequence)
    }
}

/// A mapping being read: remembers which keys were asked for, to reject the others.
final class MappingReader {
    let reader: NodeReader
    let node: Node
    let path: String
    private let pairs: [(key: String, keyNode: Node, value: Node)]
    private var asked: [String] = []

    init(reader: NodeReader, node: Node, mapping: Node.Mapping, path: String) {
        self.reader = reader
        self.node = node
        self.path = path
        var pairs: [(String, Node, Node)] = []
        var seen: Set<String> = []
        for (key, value) in mapping {
            guard let name = reader.scalarText(key) else {
                reader.expected(key, path, "a plain key")
                continue
            }
            if !seen.insert(name).inserted {
                reader.report(
                    key,
                    NodeReader.join(path, name),
                    "key \(NodeReader.quoted(name)) appears twice in the same mapping"
                )
                continue
            }
            pairs.append((name, key, value))
        }
        self.pairs = pairs
    }

    var keys: [String] { pairs.map(\.key) }

    func path(_ key: String) -> String { NodeReader.join(path, key) }

    /// The value of `key`, or `nil` (and no issue) when absent.
    func optional(_ key: String) -> Node? {
        if !asked.contains(key) { asked.append(key) }
        return pairs.first { $0.key == key }?.value
    }

    /// The value of `key`, or an issue naming the missing key and its form.
    func required(_ key: String, form: String) -> Node? {
        guard let value = optional(key) else {
            reader.report(node, path(key), "missing required key '\(key)' (\(form))")
            return nil
        }
        return value
    }

    /// Reports every key that was never asked for, listing the keys that are allowed.
    func finish() {
        for pair in pairs where !asked.contains(pair.key) {
            let allowed = asked.map { "'\($0)'" }.joined(separator: ", ")
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
