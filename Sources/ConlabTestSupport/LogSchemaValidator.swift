import Foundation

/// Checks log lines against `docs/log-schema.json`, so the documented schema and the log cannot drift
/// apart. Understands the part of JSON Schema that file uses: `type` (with `null`), `const`, `enum`,
/// `required`, `properties`, `additionalProperties`, `items`, `oneOf` and local `$ref`s.
public struct LogSchemaValidator: Sendable {
    private let schema: [String: JSONValue]

    /// Loads the schema from the package's `docs/log-schema.json`.
    public init() throws {
        let url = ConlabBinary.packageRoot.appendingPathComponent("docs/log-schema.json")
        schema = try JSONDecoder().decode([String: JSONValue].self, from: Data(contentsOf: url))
    }

    /// The problems of one log line; empty when it is valid.
    public func problems(of line: String) -> [String] {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(line.utf8)) else {
            return ["not JSON: \(line)"]
        }
        return check(value, against: schema, at: "$")
    }

    private func check(_ value: JSONValue, against rule: [String: JSONValue], at path: String) -> [String] {
        if let reference = rule["$ref"]?.string {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let target = schema["$defs"]?.object?[name]?.object else {
                return ["\(path): unknown $ref \(reference)"]
            }
            return check(value, against: target, at: path)
        }
        if let choices = rule["oneOf"]?.array {
            let matching = choices.compactMap(\.object).filter { check(value, against: $0, at: path).isEmpty }
            return matching.count == 1 ? [] : ["\(path): matches \(matching.count) of the oneOf choices, not 1"]
        }
        if let constant = rule["const"] {
            return value == constant ? [] : ["\(path): expected \(constant), found \(value)"]
        }
        if let allowed = rule["enum"]?.array {
            return allowed.contains(value) ? [] : ["\(path): \(value) not allowed"]
        }
        if let type = rule["type"] {
            let types = type.array?.compactMap(\.string) ?? [type.string ?? ""]
            guard types.contains(where: { Self.matches(value, $0) }) else {
                return ["\(path): expected \(types.joined(separator: " or ")), found \(value)"]
            }
        }
        var problems: [String] = []
        if let object = value.object {
            let properties = rule["properties"]?.object ?? [:]
            for key in rule["required"]?.array?.compactMap(\.string) ?? [] where object[key] == nil {
                problems.append("\(path): missing \(key)")
            }
            for (key, field) in object {
                if let property = properties[key]?.object {
                    problems += check(field, against: property, at: "\(path).\(key)")
                } else if let extra = rule["additionalProperties"]?.object {
                    problems += check(field, against: extra, at: "\(path).\(key)")
                } else if rule["additionalProperties"] == .boolean(false) {
                    problems.append("\(path): undocumented field \(key)")
                }
            }
        }
        if let array = value.array, let items = rule["items"]?.object {
            for (index, element) in array.enumerated() {
                problems += check(element, against: items, at: "\(path)[\(index)]")
            }
        }
        return problems
    }

    private static func matches(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("object", .object), ("array", .array), ("string", .string), ("boolean", .boolean),
            ("number", .number):
            true
        case ("integer", .number(let number)): number == number.rounded()
        default: false
        }
    }
}
