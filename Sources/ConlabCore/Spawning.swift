import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Pipe creation and `posix_spawn`, serialised for the whole process.
///
/// Glibc's `pipe2` is not imported into Swift, so close-on-exec is set just after `pipe()`; if another
/// thread spawned a child in between, the child would inherit the pipe, and a leaked write end keeps a
/// reader from ever seeing end of file. Holding one lock over both closes that window.
enum Spawning {
    private static let lock = Mutex(())

    /// A pipe whose ends are both close-on-exec.
    static func pipe(for executable: String) throws(ChildProcess.SpawnError) -> (read: Int32, write: Int32) {
        try lock.withLock { _ throws(ChildProcess.SpawnError) in
            var ends: [Int32] = [-1, -1]
            guard Glibc.pipe(&ends) == 0 else { throw ChildProcess.SpawnError(executable: executable, code: errno) }
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
            return (ends[0], ends[1])
        }
    }

    /// Starts `command` with the given descriptors as its standard input, output and error, in the
    /// process group `processGroup` (0: a new group led by the child), with no signal blocked and the
    /// default handlers for SIGINT, SIGTERM and SIGPIPE.
    static func spawn(
        _ command: ChildCommand,
        input: Int32,
        output: Int32,
        error: Int32?,
        processGroup: Int32?
    ) throws(ChildProcess.SpawnError) -> Int32 {
        let argv = command.argv
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies the child keeps.
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        if let error { posix_spawn_file_actions_adddup2(&actions, error, 2) }
        if let directory = command.directory {
            guard let addChdir = addChdir else {
                throw ChildProcess.SpawnError(executable: argv[0], code: ENOSYS)
            }
            _ = directory.withCString { addChdir(&actions, $0) }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if let processGroup {
            posix_spawnattr_setpgroup(&attributes, processGroup)
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        var environment: [String: String] = [:]
        if !command.replacesEnvironment {
            var entry = environ
            while let pointer = entry.pointee {
                let text = String(cString: pointer)
                if let equals = text.firstIndex(of: "=") {
                    environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
                }
                entry += 1
            }
        }
        environment.merge(command.environment) { $1 }
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for argument in cArguments { free(argument) }
            for entry in cEnvironment { free(entry) }
        }
        return try lock.withLock { _ throws(ChildProcess.SpawnError) in
            var pid: pid_t = 0
            // posix_spawnp searches PATH, as a shell would.
            let code = posix_spawnp(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
            guard code == 0 else { throw ChildProcess.SpawnError(executable: argv[0], code: code) }
            return pid
        }
    }

    private typealias AddChdir =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does not import.
    private static let addChdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np")
        else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()
}
