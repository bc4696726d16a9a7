import CLinux

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Pipe creation and spawning (`vfork` and `exec`, as `posix_spawn` does, plus a parent-death signal).
///
/// A child spawned by one thread must not inherit the pipes another thread is setting up — a leaked
/// write end keeps a reader from ever seeing end of file — so every descriptor conlab makes while
/// children may start is close-on-exec from birth (`pipe2`, `accept4`, `eventfd`, `O_CLOEXEC`), and
/// spawns need no lock: threads and tasks start children side by side.
///
/// A spawn costs what the C `posix_spawn` loop of the benchmark pays plus only what it must: the three
/// `dup2`s for the child's standard streams, its process group and its parent-death signal. The parent's environment is passed
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
    ///
    /// A child in a process group of its own is out of reach of a signal that ends conlab, so it is given a
    /// parent-death signal: SIGKILL when the thread that starts it ends, whatever ends it (`kill -9` too).
    /// Every job's thread outlives its children (it reaps them); a worker process, started from a thread
    /// of the cooperative pool that may end while the worker serves, watches its input instead.
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
        let descriptors = [input, output, error ?? -1] + passed
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        // The file is searched in PATH, as a shell would.
        func start(_ environment: UnsafePointer<UnsafeMutablePointer<CChar>?>) -> Int32 {
            descriptors.withUnsafeBufferPointer { descriptors in
                clinux_spawn(
                    &pid,
                    argv[0],
                    cArguments,
                    environment,
                    descriptors.baseAddress,
                    Int32(descriptors.count),
                    command.directory,
                    processGroup ?? -1,
                    processGroup == nil ? 0 : SIGKILL
                )
            }
        }
        let code: Int32
        if command.replacesEnvironment || !command.environment.isEmpty {
            let cEnvironment = environment(for: command).map { strdup($0) } + [nil]
            defer { for entry in cEnvironment { free(entry) } }
            code = start(cEnvironment)
        } else {
            code = start(environ)
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
}
