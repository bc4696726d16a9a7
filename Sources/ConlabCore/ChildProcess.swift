import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A real child process started with `posix_spawn`, its standard input and output connected to pipes.
///
/// The parent's ends of the pipes are close-on-exec, so no other child inherits them, and a child whose
/// reader went away gets SIGPIPE. ``wait()`` reaps the child: none is left as a zombie.
public final class ChildProcess: Sendable {
    /// The child could not be started.
    public struct SpawnError: Error, Sendable, CustomStringConvertible {
        /// What was being started.
        public var executable: String
        /// The error number.
        public var code: Int32
        /// What happened.
        public var description: String { "cannot start \(executable): \(String(cString: strerror(code)))" }
    }

    /// How a child ended.
    public enum Termination: Sendable, Hashable, CustomStringConvertible {
        /// It exited with this status.
        case exited(Int32)
        /// A signal killed it.
        case signalled(Int32)

        /// `exit status 0`, `signal 9 (SIGKILL)`.
        public var description: String {
            switch self {
            case .exited(let status): "exit status \(status)"
            case .signalled(let signal): "signal \(signal) (\(String(cString: strsignal(signal))))"
            }
        }
    }

    /// The child's process id.
    public let pid: Int32
    /// The parent's end of the child's standard input.
    public let input: Int32
    /// The parent's end of the child's standard output.
    public let output: Int32

    private let termination = Mutex<Termination?>(nil)

    private init(pid: Int32, input: Int32, output: Int32) {
        self.pid = pid
        self.input = input
        self.output = output
    }

    /// Held across pipe creation and `posix_spawn`. Glibc's pipe2 is not imported, so close-on-exec is set
    /// after pipe(); the lock keeps any other spawn from inheriting the pipes in between (a leaked write
    /// end would keep a child from ever seeing end of file).
    private static let spawning = Mutex(())

    /// Starts `executable` with `arguments` (not including argv[0]) and the parent's environment.
    public static func spawn(_ executable: String, arguments: [String]) throws(SpawnError) -> ChildProcess {
        try spawning.withLock { _ throws(SpawnError) in try spawnLocked(executable, arguments: arguments) }
    }

    private static func spawnLocked(_ executable: String, arguments: [String]) throws(SpawnError) -> ChildProcess {
        var toChild: [Int32] = [-1, -1]
        var fromChild: [Int32] = [-1, -1]
        guard pipe(&toChild) == 0 else { throw SpawnError(executable: executable, code: errno) }
        guard pipe(&fromChild) == 0 else {
            let code = errno
            close(toChild[0])
            close(toChild[1])
            throw SpawnError(executable: executable, code: code)
        }
        for descriptor in toChild + fromChild { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 clears close-on-exec on the copies the child keeps as its stdin and stdout.
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        // The child starts with no signals blocked and default handlers, whatever this process blocks.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let code = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        close(toChild[0])
        close(fromChild[1])
        guard code == 0 else {
            close(toChild[1])
            close(fromChild[0])
            throw SpawnError(executable: executable, code: code)
        }
        return ChildProcess(pid: pid, input: toChild[1], output: fromChild[0])
    }

    /// Closes the child's input (it sees end of file), waits for it to end, and reaps it. Later calls
    /// return the same answer without touching the (closed) pipes again.
    @available(*, noasync, message: "Blocks until the child has ended.")
    @discardableResult
    public func wait() -> Termination {
        termination.withLock { termination in
            if let termination { return termination }
            close(input)
            close(output)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out: the macros are not imported into Swift.
            let signal = status & 0x7f
            let ended: Termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
            termination = ended
            return ended
        }
    }

    /// Sends `signal` to the child.
    public func kill(_ signal: Int32) {
        _ = Glibc.kill(pid, signal)
    }

    /// The path of the running executable, so a strategy can start more of itself.
    public static var currentExecutable: String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return CommandLine.arguments[0] }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
