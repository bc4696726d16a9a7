import Foundation

/// The cores a thread may run on, as the kernel reports them, for tests of threads pinned to a core.
public enum CoreAffinity {
    /// The cores the calling thread may run on (`Cpus_allowed_list` of `/proc/thread-self/status`).
    public static func ofCallingThread() -> [Int] {
        list(field: "Cpus_allowed_list:", in: "/proc/thread-self/status")
    }

    /// The cores this process may run on (its main thread's list).
    public static func ofProcess() -> [Int] {
        list(field: "Cpus_allowed_list:", in: "/proc/self/status")
    }

    /// Parses a list such as `0-2,5` into `[0, 1, 2, 5]`.
    private static func list(field: String, in path: String) -> [Int] {
        guard let status = try? String(contentsOfFile: path, encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) })
        else { return [] }
        return line.dropFirst(field.count).trimmingCharacters(in: .whitespaces).split(separator: ",").flatMap {
            range -> [Int] in
            let bounds = range.split(separator: "-").compactMap { Int($0) }
            guard let low = bounds.first else { return [] }
            return Array(low...(bounds.last ?? low))
        }
    }
}
