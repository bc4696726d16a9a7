/// A place in a scenario file (or on the command line) that a message points at.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The file, as given by the user, or a pseudo-file such as `--set strategies`.
    public var file: String
    /// The line, from 1; 0 when unknown.
    public var line: Int
    /// The column, from 1; 0 when unknown.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A location that points nowhere in particular.
    public static let unknown = SourceLocation(file: "<unknown>", line: 0, column: 0)

    /// `file:line:column`, or just the file when the position is unknown.
    public var description: String { line > 0 ? "\(file):\(line):\(column)" : file }
}
