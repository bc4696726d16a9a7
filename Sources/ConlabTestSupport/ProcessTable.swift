import Foundation

/// The processes of this machine as `/proc` lists them, for tests that check children are reaped.
public enum ProcessTable {
    /// A process: its id and its state letter (`R`, `S`, `Z` for a zombie, ...).
    public struct Entry: Sendable, Hashable {
        /// The process id.
        public var pid: Int32
        /// The state letter from `/proc/PID/stat`.
        public var state: String
    }

    /// The children of `parent` (`nil`: this process), zombies included.
    public static func children(of parent: Int32? = nil) -> [Entry] {
        let parent = parent ?? getpid()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { entry -> Entry? in
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return nil }
            // Fields after the command name (which may hold spaces): state, then the parent's id.
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            guard fields.count > 1, Int32(fields[1]) == parent else { return nil }
            return Entry(pid: pid, state: String(fields[0]))
        }
    }
}
