/// Why YAML text could not be read into a ``YAMLTree``, in libyaml's words and at its position.
enum YAMLParseError: Error {
    /// The text itself is refused (a control character): `byteOffset` is where, `value` the character.
    case reader(problem: String, byteOffset: Int, value: Int32)
    /// A scanner, parser or composer error: libyaml's context and problem, and where the problem is.
    case syntax(context: String?, problem: String, line: Int, column: Int)
    /// A mapping repeats a key: the repeated scalar keys and where the first of them first appears, or no keys
    /// and where a repeated list or mapping key is repeated.
    case duplicateKeys(duplicates: [String], line: Int, column: Int)
    /// libyaml could not allocate memory.
    case memory
}
