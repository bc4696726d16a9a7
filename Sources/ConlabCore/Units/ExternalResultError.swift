/// Results from an external program that do not have the form its work kind defines.
public struct ExternalResultError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong, and what would be right.
    public var description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
