import Foundation

/// Checks log lines against `docs/log-schema.json`, so the documented schema and the log cannot drift
/// apart. Understands the part of JSON Schema that file uses: `type` (with `null`), `const`, `enum`,
/// `required`, `properties`, `additionalProperties`, `items`, `oneOf` and local `$ref`s.
public struct LogSchemaValidator: Sendable {
    private let schema: [String: any Sendable]

    /// Loads the schema from the package's `docs/log-schema.json`.
    public init() throws {
        let url = ConlabBinary.packageRoot.appendingPathComponent("docs/log-schema.json")
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        schema = try Self.sendable(object) as? [String: any Sendable] ?? [:]
    }

    /// The problems of one log line; empty when it is valid.
    public func problems(of line: String) -> [String] {
        guard let value = try? JSONSerialization.jsonObject(with: Data(line.utf8)) else { return ["not JSON: \(line)"] }
        return check(value, against: schema, at: "$")
    }

    private func check(_ value: Any, against rule: [String: any Sendable], at path: String) -> [String] {
        if let reference = rule["$ref"] as? String {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let definitions = schema["$defs"] as? [String: any Sendable],
                let target = definitions[name] as? [String: any Sendable]
            else { return ["\(path): unknown $ref \(reference)"] }
            return check(value, against: target, at: path)
        }
        if let choices = rule["oneOf"] as? [any Sendable] {
            let matching = choices.compactMap { $0 as? [String: any Sendable] }.filter {
                check(value, against: $0, at: path).isEmpty
            }
            return matching.count == 1 ? [] : ["\(path): matches \(matching.count) of the oneOf choices, not 1"]
        }
        if let constant = rule["const"] {
            return (value as? String) == (constant as? String) ? [] : ["\(path): expected \(constant), found \(value)"]
        }
        if let allowed = rule["enum"] as? [any Sendable] {
            return allowed.contains { ($0 as? String) == (value as? String) } ? [] : ["\(path): \(value) not allowed"]
        }
        if let type = rule["type"] {
            let types = (type as? [any Sendable])?.compactMap { $0 as? String } ?? [type as? String ?? ""]
            guard types.contains(where: { Self.matches(value, $0) }) else {
                return ["\(path): expected \(types.joined(separator: " or ")), found \(value)"]
            }
        }
        var problems: [String] = []
        if let object = value as? [String: Any] {
            let properties = rule["properties"] as? [String: any Sendable] ?? [:]
            for key in rule["required"] as? [any Sendable] ?? [] {
                if let key = key as? String, object[key] == nil { problems.append("\(path): missing \(key)") }
            }
            for (key, field) in object {
                if let property = properties[key] as? [String: any Sendable] {
                    problems += check(field, against: property, at: "\(path).\(key)")
                } else if let extra = rule["additionalProperties"] as? [String: any Sendable] {
                    problems += check(field, against: extra, at: "\(path).\(key)")
                } else if (rule["additionalProperties"] as? Bool) == false {
                    problems.append("\(path): undocumented field \(key)")
                }
            }
        }
        if let array = value as? [Any], let items = rule["items"] as? [String: any Sendable] {
            for (index, element) in array.enumerated() {
                problems += check(element, against: items, at: "\(path)[\(index)]")
            }
        }
        return problems
    }

    private static func matches(_ value: Any, _ type: String) -> Bool {
        let isBoolean = isJSONBoolean(value)
        switch type {
        case "null": return value is NSNull
        case "object": return value is [String: Any]
        case "array": return value is [Any]
        case "string": return value is String
        case "boolean": return isBoolean
        case "integer":
            return !isBoolean && (value as? NSNumber).map { $0.doubleValue == $0.doubleValue.rounded() } ?? false
        case "number": return !isBoolean && value is NSNumber
        default: return false
        }
    }

    /// JSONSerialization decodes `true` and `1` alike as NSNumber; only the class tells them apart.
    private static func isJSONBoolean(_ value: Any) -> Bool {
        String(describing: Swift.type(of: value)).contains("Boolean")
    }

    private static func sendable(_ object: Any) throws -> any Sendable {
        switch object {
        case let dictionary as [String: Any]: return try dictionary.mapValues(sendable)
        case let array as [Any]: return try array.map(sendable)
        case let string as String: return string
        case let number as NSNumber: return isJSONBoolean(number) ? number.boolValue : number.doubleValue
        case is NSNull: return "null"
        default: return String(describing: object)
        }
    }
}
