/// Any JSON value, decoded as what it is: the untyped view the schema check needs, where the log's own
/// reader (``LogReader``) gives typed events. Booleans and numbers stay apart, as JSON keeps them.
enum JSONValue: Sendable, Equatable, Decodable, CustomStringConvertible {
    case null
    case boolean(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let boolean = try? container.decode(Bool.self) {
            self = .boolean(boolean)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The string, for a string.
    var string: String? {
        if case .string(let string) = self { string } else { nil }
    }

    /// The elements, for an array.
    var array: [JSONValue]? {
        if case .array(let array) = self { array } else { nil }
    }

    /// The members, for an object.
    var object: [String: JSONValue]? {
        if case .object(let object) = self { object } else { nil }
    }

    /// The value as JSON would show it, near enough for a message.
    var description: String {
        switch self {
        case .null: "null"
        case .boolean(let boolean): "\(boolean)"
        case .number(let number): "\(number)"
        case .string(let string): "\"\(string)\""
        case .array(let array): "[\(array.map(\.description).joined(separator: ", "))]"
        case .object(let object): "{\(object.map { "\"\($0)\": \($1)" }.sorted().joined(separator: ", "))}"
        }
    }
}
