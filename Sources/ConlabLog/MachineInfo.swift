/// The machine a run happened on, as `run_started` records it.
public struct MachineInfo: Sendable, Codable, Equatable {
    /// The cores conlab may use (its affinity mask).
    public var cores: Int
    /// Physical memory in bytes.
    public var memoryBytes: Int
    /// The operating system, e.g. `Debian GNU/Linux 12 (bookworm), Linux 6.1.0 x86_64`.
    public var os: String
    /// The Swift compiler conlab was built with.
    public var swiftVersion: String

    /// Creates the description.
    public init(cores: Int, memoryBytes: Int, os: String, swiftVersion: String) {
        self.cores = cores
        self.memoryBytes = memoryBytes
        self.os = os
        self.swiftVersion = swiftVersion
    }

    enum CodingKeys: String, CodingKey {
        case cores, os
        case memoryBytes = "memory_bytes"
        case swiftVersion = "swift_version"
    }
}
