/// A scenario file as a log names it.
public struct ScenarioReference: Sendable, Codable, Equatable {
    /// The scenario's name.
    public var name: String
    /// The file.
    public var file: String
    /// SHA-256 of the file's bytes.
    public var sha256: String
    /// The seed in force (after `--seed`).
    public var seed: UInt64

    /// Creates a reference.
    public init(name: String, file: String, sha256: String, seed: UInt64) {
        self.name = name
        self.file = file
        self.sha256 = sha256
        self.seed = seed
    }
}
