import CLinux

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Pipe creation and `posix_spawn`.
///
/// A child spawned by one thread must not inherit the pipes another thread is setting up — a leaked
/// write end keeps a reader from ever seeing end of file — so every descriptor conlab makes while
/// children may start is close-on-exec from birth (`pipe2`, `accept4`, `eventfd`, `O_CLOEXEC`), and
/// spawns need no lock: threads and tasks start children side by side.
///
/// A spawn costs what the C `posix_spawn` loop of the benchmark pays plus only what it must: the three
/// `dup2`s for the child's standard streams and its process group. The parent's environment is passed
/// as it is unless the command changes it, and `/dev/null` is opened once.
enum Spawning {
    /// A pipe whose ends are both close-on-exec.
    static func pipe(for executable: String) throws(ChildProcess.SpawnError) -> (read: Int32, write: Int32) {
        var ends: [Int32] = [-1, -1]
        guard clinux_pipe_cloexec(&ends) == 0 else {
            throw ChildProcess.SpawnError(executable: executable, code: errno)
        }
        return (ends[0], ends[1])
    }

    /// `/dev/null` for reading, close-on-exec, opened once and kept: the standard input of children
    /// given no input. `-1` if it cannot be opened (then children start with standard input closed).
    static let nullInput = open("/dev/null", O_RDONLY | O_CLOEXEC)

    /// Starts `command` with the given descriptors as its standard input, output and error (and `passed`
    /// as its descriptors 3, 4, …), in the process group `processGroup` (0: a new group led by the child),
    /// with no signal blocked and the default handlers for SIGINT, SIGTERM and SIGPIPE.
    static func spawn(
        _ command: ChildCommand,
        input: Int32,
        output: Int32,
        error: Int32?,
        passed: [Int32] = [],
        processGroup: Int32?
    ) throws(ChildProcess.SpawnError) -> Int32 {
        let argv = command.argv
        acceptChildSignals()
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies the child keeps.
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        if let error { posix_spawn_file_actions_adddup2(&actions, error, 2) }
        for (offset, descriptor) in passed.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, descriptor, 3 + Int32(offset))
        }
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
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        // posix_spawnp searches PATH, as a shell would.
        let code: Int32
        if command.replacesEnvironment || !command.environment.isEmpty {
            let cEnvironment = environment(for: command).map { strdup($0) } + [nil]
            defer { for entry in cEnvironment { free(entry) } }
            code = posix_spawnp(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        } else {
            code = posix_spawnp(&pid, argv[0], &actions, &attributes, cArguments, environ)
        }
        guard code == 0 else { throw ChildProcess.SpawnError(executable: argv[0], code: code) }
        return pid
    }

    /// Unblocks SIGCHLD in the calling thread, the parent of the child about to start.
    ///
    /// A thread of a dispatch pool blocks almost every signal, and threads started from one inherit that.
    /// The kernel drops a child's SIGCHLD at its default (ignore) only when the parent thread does not
    /// block it; blocked, it is queued for the process and wakes the one thread that takes it — the main
    /// thread, parked in `sigsuspend` — once per child. That wake-up also keeps the parent from being
    /// woken on the CPU its child just left: 1.2 migrations per child and a fifth of the spawn rate here.
    private static func acceptChildSignals() {
        var childSignal = sigset_t()
        sigemptyset(&childSignal)
        sigaddset(&childSignal, SIGCHLD)
        pthread_sigmask(SIG_UNBLOCK, &childSignal, nil)
    }

    /// `NAME=value` entries: the parent's environment (unless replaced) with the command's variables.
    private static func environment(for command: ChildCommand) -> [String] {
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
        return environment.map { "\($0.key)=\($0.value)" }
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
