import ConlabCore
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
    public enum Termination: Sendable, Hashable, Codable, CustomStringConvertible {
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

    /// Every child started here and not yet reaped, so an interrupted run can end them all.
    private static let running = Mutex<Set<Int32>>([])

    /// Sends `signal` to every child started with ``spawn(_:arguments:passing:)`` that has not been reaped
    /// (worker processes): what an interrupt does, so none outlives conlab.
    public static func signalAll(_ signal: Int32) {
        // Under the lock: a child leaves the set before it is reaped, so its pid cannot have been reused.
        running.withLock { for pid in $0 { _ = Glibc.kill(pid, signal) } }
    }

    private init(pid: Int32, input: Int32, output: Int32) {
        self.pid = pid
        self.input = input
        self.output = output
    }

    /// Starts `executable` with `arguments` (not including argv[0]) and the parent's environment, and
    /// `passed` as its descriptors 3, 4, … (the parent's copies stay open).
    public static func spawn(
        _ executable: String,
        arguments: [String],
        passing passed: [Int32] = []
    ) throws(SpawnError) -> ChildProcess {
        let toChild = try Spawning.pipe(for: executable)
        let fromChild: (read: Int32, write: Int32)
        do {
            fromChild = try Spawning.pipe(for: executable)
        } catch {
            close(toChild.read)
            close(toChild.write)
            throw error
        }
        let pid: Int32
        do {
            pid = try Spawning.spawn(
                ChildCommand(arguments: [executable] + arguments),
                input: toChild.read,
                output: fromChild.write,
                error: nil,
                passed: passed,
                processGroup: nil
            )
        } catch {
            for descriptor in [toChild.read, toChild.write, fromChild.read, fromChild.write] { close(descriptor) }
            throw error
        }
        close(toChild.read)
        close(fromChild.write)
        running.withLock { _ = $0.insert(pid) }
        return ChildProcess(pid: pid, input: toChild.write, output: fromChild.read)
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
            // Waited for without reaping first: until it is reaped, its pid names no other process, so
            // ``signalAll(_:)`` may still signal it.
            var info = siginfo_t()
            while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) == -1 && errno == EINTR {}
            Self.running.withLock { _ = $0.remove(pid) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
            // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out: the macros are not imported into Swift.
            let signal = status & 0x7f
            let ended: Termination = signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
            termination = ended
            return ended
        }
    }

    /// Sends `signal` to the child, unless it has been reaped.
    public func kill(_ signal: Int32) {
        // Under the lock, as in ``signalAll(_:)``: once reaped, its pid may name another process.
        Self.running.withLock { running in
            if running.contains(pid) { _ = Glibc.kill(pid, signal) }
        }
    }

    /// The path of the running executable, so a strategy can start more of itself.
    public static var currentExecutable: String { StrategyContext.currentExecutable }
}
