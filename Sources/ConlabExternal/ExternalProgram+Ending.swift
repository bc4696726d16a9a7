import ConlabCore
import ConlabIO
import ConlabToolkit
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Ending a program: stopping it, telling it to end and waiting for it, and the errors that quote its end.
extension ExternalProgram {
    /// Asks the program to end, gives it `grace` to do so, then kills it; reaps it either way, and returns how
    /// it ended. Later calls return the same.
    @available(*, noasync)
    @discardableResult
    func stop(grace: Duration) -> ChildProcess.Termination {
        end(grace: grace, farewell: .endMessage).termination
    }

    /// Tells the program the conversation is over (`farewell`), gives it `grace` to end, then kills it; reaps it
    /// either way. Returns how it ended, and, when this call was the one that let it go (not a kill after a
    /// failure, not a later call), the ending the protocol judges.
    @available(*, noasync)
    func end(
        grace: Duration,
        farewell: ProgramEnding.Farewell
    ) -> (termination: ChildProcess.Termination, ending: ProgramEnding?) {
        let first = pending.withLock { pending in
            defer { pending = nil }
            return pending != nil
        }
        var killed = false
        if first {
            if grace > .zero {
                switch farewell {
                case .endMessage:
                    let line = Array(#"{"type":"end"}"#.utf8) + [0x0A]
                    _ = line.withUnsafeBytes { Self.writeHoldingPipeSignal($0, to: child.input) }
                case .endOfInput:
                    Self.closeKeepingNumber(child.input)
                }
                let deadline = ContinuousClock.now + grace
                while ContinuousClock.now < deadline && !hasEnded() {
                    var entry = pollfd(fd: child.output, events: Int16(POLLIN), revents: 0)
                    _ = poll(&entry, 1, 10)
                    // Whatever it still writes is drained, so a full pipe cannot keep it from ending.
                    var sink = [UInt8](repeating: 0, count: 4096)
                    _ = sink.withUnsafeMutableBytes { Glibc.read(child.output, $0.baseAddress!, $0.count) }
                }
            }
            if !hasEnded() {
                child.kill(SIGKILL)
                killed = true
            }
        }
        let termination = child.wait()
        let ending =
            first && grace > .zero
            ? ProgramEnding(farewell: farewell, termination: termination, killed: killed, grace: grace) : nil
        return (termination, ending)
    }

    /// Closes the pipe behind `descriptor`, so that its reader sees the end of its input, while the number stays
    /// open (on `/dev/null`, close-on-exec) until ``ChildProcess/wait()`` closes it: closing the number itself
    /// would let another file take it before then.
    private static func closeKeepingNumber(_ descriptor: Int32) {
        let null = open("/dev/null", O_WRONLY | O_CLOEXEC)
        guard null >= 0 else { return }
        // dup2 closes the pipe and clears close-on-exec, set again at once: a child spawned in between would
        // inherit only /dev/null.
        _ = dup2(null, descriptor)
        _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        close(null)
    }

    /// Whether the program has exited (without reaping it: ``ChildProcess/wait()`` does).
    private func hasEnded() -> Bool {
        var info = siginfo_t()
        return waitid(P_PID, id_t(child.pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_signo == SIGCHLD
    }

    /// Kills and reaps the program, and says how it ended with the end of what it wrote on standard error.
    @available(*, noasync)
    func failure(_ problem: String) -> ExternalProgramError {
        let ended = stop(grace: .zero)
        let said = errorTail()
        return ExternalProgramError(
            manifest.name,
            "\(problem) (process \(child.pid), \(ended))" + (said.isEmpty ? "" : "; its standard error ends: \(said)")
        )
    }

    /// A protocol violation: the program is killed and the result fails.
    @available(*, noasync)
    func violation(_ problem: String) -> ExternalProgramError {
        failure("protocol violation: " + problem)
    }

    /// The last lines the program wrote on standard error, on one line.
    private func errorTail() -> String {
        guard let bytes = try? errors?.contents(), !bytes.isEmpty else { return "" }
        let lines = String(decoding: bytes.suffix(2000), as: UTF8.self).split(separator: "\n").suffix(3)
        return lines.joined(separator: " | ")
    }

    /// One `write`, with SIGPIPE held back: a program that closed its input must not end conlab.
    static func writeHoldingPipeSignal(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int {
        var pipeSignal = sigset_t()
        sigemptyset(&pipeSignal)
        sigaddset(&pipeSignal, SIGPIPE)
        var previous = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipeSignal, &previous)
        let written = Glibc.write(descriptor, bytes.baseAddress!, bytes.count)
        let code = errno
        if written < 0 && code == EPIPE && sigismember(&previous, SIGPIPE) == 0 {
            var none = timespec(tv_sec: 0, tv_nsec: 0)
            while sigtimedwait(&pipeSignal, nil, &none) == SIGPIPE {}
        }
        pthread_sigmask(SIG_SETMASK, &previous, nil)
        errno = code
        return written
    }
}
