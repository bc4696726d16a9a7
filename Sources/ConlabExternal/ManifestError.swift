/// A strategy manifest that cannot be used.
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The manifest's file.
    public var file: String
    /// What is wrong with it.
    public var message: String

    /// `strategies/x.json: 'argv' needs at least the program`.
    public var description: String { "\(file): \(message)" }
}
