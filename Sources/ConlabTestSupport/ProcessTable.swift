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

    /// The processes whose environment holds `entry` (`NAME=value`), zombies aside: every process a run
    /// started, when the run was given a marker that its children inherit. Only this user's processes
    /// can be read, which are the only ones a test starts.
    public static func processes(withEnvironment entry: String) -> [Int32] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return entries.compactMap { name -> Int32? in
            // Read to its end: /proc files say they are empty, and FileManager believes them.
            guard let pid = Int32(name), state(of: pid) != "Z",
                let file = FileHandle(forReadingAtPath: "/proc/\(pid)/environ")
            else { return nil }
            defer { try? file.close() }
            let environment = file.readDataToEndOfFile()
            let wanted = Data(entry.utf8)
            return environment.split(separator: 0).contains { Data($0) == wanted } ? pid : nil
        }
    }

    /// The state letter of `pid` (`S`, `T` when stopped, ...), or nil once it is gone.
    public static func state(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        else { return nil }
        return stat[stat.index(close, offsetBy: 2)...].split(separator: " ").first.map(String.init)
    }

    /// The number of the system call `pid` is in (`/proc/PID/syscall`), or nil when it runs in user space or is
    /// gone. A stopped process keeps showing the call it was stopped in.
    public static func systemCall(of pid: Int32) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/syscall", encoding: .utf8) else { return nil }
        return text.split(separator: " ").first.flatMap { Int($0) }
    }

    /// What `pid`'s open descriptors point at, as `/proc/PID/fd` shows them: a path (`/tmp/x`, or
    /// `/tmp/#123 (deleted)` for a file without a name), `socket:[INODE]`, `pipe:[INODE]`, `anon_inode:…`.
    /// Empty once the process is gone.
    public static func openFiles(of pid: Int32) -> [String] {
        let folder = "/proc/\(pid)/fd"
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return entries.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "\(folder)/\($0)") }
    }

    /// The inodes of the sockets `pid` holds open.
    public static func socketInodes(of pid: Int32) -> Set<UInt64> {
        Set(
            openFiles(of: pid).compactMap { target -> UInt64? in
                guard target.hasPrefix("socket:["), target.hasSuffix("]") else { return nil }
                return UInt64(target.dropFirst("socket:[".count).dropLast())
            }
        )
    }

    /// The inodes of every TCP, UDP and Unix socket the kernel still has in this network namespace
    /// (`/proc/net/tcp`, `tcp6`, `udp`, `udp6`, `unix`); a closed connection in TIME_WAIT has inode 0
    /// and is left out: no process holds it.
    public static func liveSocketInodes() -> Set<UInt64> {
        var inodes = Set<UInt64>()
        for (table, column) in [("tcp", 9), ("tcp6", 9), ("udp", 9), ("udp6", 9), ("unix", 6)] {
            guard let file = FileHandle(forReadingAtPath: "/proc/net/\(table)") else { continue }
            defer { try? file.close() }
            let text = String(decoding: file.readDataToEndOfFile(), as: UTF8.self)
            for line in text.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                if fields.count > column, let inode = UInt64(fields[column]), inode != 0 { inodes.insert(inode) }
            }
        }
        return inodes
    }
}
