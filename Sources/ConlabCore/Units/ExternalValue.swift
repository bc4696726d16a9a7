/// A JSON value a strategy program answered with: the `results` of a phase, in the form its work kind defines
/// (a string of cells for `life.generation`, lists of numbers for `cpu.batch`, an object for `pipeline`).
///
/// Numbers keep their exact value: a whole number from 0 to 2⁶⁴ − 1 is ``unsigned(_:)`` (a pipeline's values use
/// all 64 bits), a negative whole number ``signed(_:)``, any other number ``real(_:)``.
public enum ExternalValue: Sendable, Hashable, Decodable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A whole number from 0 to 2⁶⁴ − 1.
    case unsigned(UInt64)
    /// A negative whole number from −2⁶³.
    case signed(Int64)
    /// Any other number.
    case real(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([ExternalValue])
    /// An object.
    case object([String: ExternalValue])

    /// Decodes any JSON value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(UInt64.self) {
            self = .unsigned(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .signed(value)
        } else if let value = try? container.decode(Double.self) {
            self = .real(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ExternalValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ExternalValue].self))
        }
    }

    /// The whole number from 0 to 2⁶⁴ − 1 this is, or `nil`.
    public var unsignedValue: UInt64? {
        if case .unsigned(let value) = self { return value }
        return nil
    }

    /// The whole number from 0 to `Int.max` this is, or `nil`.
    public var intValue: Int? {
        if case .unsigned(let value) = self, value <= UInt64(Int.max) { return Int(value) }
        return nil
    }

    /// What a message says this value is: `a string`, `an array of 3`, `the number 7`.
    public var described: String {
        switch self {
        case .null: "null"
        case .bool(let value): "\(value)"
        case .unsigned(let value): "the number \(value)"
        case .signed(let value): "the number \(value)"
        case .real(let value): "the number \(value)"
        case .string: "a string"
        case .array(let items): "an array of \(items.count)"
        case .object: "an object"
        }
    }
}
