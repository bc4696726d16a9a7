import ConlabCore
public import ConlabLog
import ConlabToolkit
import Foundation

extension MachineInfo {
    /// This machine.
    public static func current() -> MachineInfo {
        let cores = UsableCores.count
        let memory = sysconf(Int32(_SC_PHYS_PAGES)) * sysconf(Int32(_SC_PAGESIZE))
        var names = utsname()
        uname(&names)
        func field<T>(_ value: inout T) -> String {
            withUnsafeBytes(of: &value) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        }
        let kernel = "\(field(&names.sysname)) \(field(&names.release)) \(field(&names.machine))"
        var distribution: String?
        if let release = try? String(contentsOfFile: "/etc/os-release", encoding: .utf8) {
            for line in release.split(separator: "\n") where line.hasPrefix("PRETTY_NAME=") {
                distribution = line.dropFirst("PRETTY_NAME=".count).trimmingCharacters(
                    in: CharacterSet(charactersIn: "\"")
                )
            }
        }
        return MachineInfo(
            cores: cores,
            memoryBytes: memory,
            os: distribution.map { "\($0), \(kernel)" } ?? kernel,
            swiftVersion: compilerVersion,
            hostname: hostname
        )
    }

    /// The host's name: what tells two nodes of one kind apart when a run is split over them.
    private static var hostname: String? {
        var bytes = [CChar](repeating: 0, count: 256)
        guard gethostname(&bytes, bytes.count - 1) == 0 else { return nil }
        let name = String(decoding: bytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? nil : name
    }

    private static var compilerVersion: String {
        #if compiler(>=6.4)
        return "6.4 or later"
        #elseif compiler(>=6.3)
        return "6.3"
        #elseif compiler(>=6.2)
        return "6.2"
        #elseif compiler(>=6.1)
        return "6.1"
        #else
        return "6.0"
        #endif
    }
}
