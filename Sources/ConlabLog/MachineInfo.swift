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
    /// The host's name (`gethostname`); absent from logs written before it was recorded.
    public var hostname: String?

    /// Creates the description.
    public init(cores: Int, memoryBytes: Int, os: String, swiftVersion: String, hostname: String? = nil) {
        self.cores = cores
        self.memoryBytes = memoryBytes
        self.os = os
        self.swiftVersion = swiftVersion
        self.hostname = hostname
    }

    /// The machine in a line: its host's name, if known, then cores, memory, system and compiler.
    public var description: String {
        let hardware = "\(cores) cores, \(memoryBytes >> 30) GiB, \(os), Swift \(swiftVersion)"
        return hostname.map { "\($0) (\(hardware))" } ?? hardware
    }

    /// Whether `other` can be this machine: the same hardware and system, and the same host where both logs
    /// name theirs (older logs do not).
    public func couldBe(_ other: MachineInfo) -> Bool {
        var (this, that) = (self, other)
        if this.hostname == nil || that.hostname == nil { (this.hostname, that.hostname) = (nil, nil) }
        return this == that
    }

    enum CodingKeys: String, CodingKey {
        case cores, os, hostname
        case memoryBytes = "memory_bytes"
        case swiftVersion = "swift_version"
    }
}
