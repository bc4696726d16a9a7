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

/// One running strategy program: its pipes, read and written with deadlines, and its end.
///
/// Nothing here waits without a deadline: the pipes are non-blocking and every wait is a `poll` of at most
/// ``slice``, between which cancellation is checked. A program that breaks the protocol is killed and reaped
/// at once (``stop(grace:)``); so is one that does not end within a grace after being told to.
final class ExternalProgram: Sendable {
    /// The protocol version this conlab speaks.
    static let version = 1
    /// How long the program may take to greet conlab.
    static let greetingTimeout: Duration = .seconds(10)
    /// The longest single `poll`, so that cancellation is seen promptly.
    private static let slice: Int32 = 100
    /// The longest answer accepted when no longer one is expected (a greeting, a failure).
    static let shortestLimit = 1 << 20

    let child: ChildProcess
    let manifest: StrategyManifest
    /// Where the program's standard error goes, to quote its end when it fails.
    private let errors: AnonymousFile?
    /// Bytes read after the last complete line; `nil` once the program has been stopped.
    private let pending = Mutex<[UInt8]?>([])

    private init(child: ChildProcess, manifest: StrategyManifest, errors: AnonymousFile?) {
        self.child = child
        self.manifest = manifest
        self.errors = errors
    }

    /// Starts the program in its manifest's folder, greets it (with the values of its manifest's `options`, when
    /// it declares any) and reads its greeting.
    @available(*, noasync)
    static func start(
        _ manifest: StrategyManifest,
        options: [String: ManifestOption.Value] = [:],
        cancellation: CancellationFlag
    ) throws -> ExternalProgram {
        let errors = try? AnonymousFile()
        let child: ChildProcess
        do {
            child = try ChildProcess.spawn(
                manifest.argv[0],
                arguments: Array(manifest.argv.dropFirst()),
                directory: manifest.directory,
                error: errors?.descriptor
            )
        } catch {
            let argv = manifest.argv.joined(separator: " ")
            // A runtime that is not installed makes the strategy unavailable, not broken: the run goes on.
            if error.code == ENOENT {
                let install = manifest.install.map { "; install it with: \($0)" } ?? ""
                throw StrategyRefusal(
                    "\(manifest.name) is unavailable: \(manifest.argv[0]) was not found (argv: \(argv))\(install)"
                )
            }
            throw ExternalProgramError(manifest.name, "\(error) (argv: \(argv))")
        }
        for descriptor in [child.input, child.output] {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        }
        let program = ExternalProgram(child: child, manifest: manifest, errors: errors)
        do {
            let deadline = ContinuousClock.now + greetingTimeout
            try program.send(
                #"{"type":"hello","protocol":"conlab-strategy","version":\#(version),"strategy":"\#(manifest.name)""#
                    + Self.optionsField(options) + "}",
                deadline: deadline,
                cancellation: cancellation
            )
            let reply = try program.receive(
                within: greetingTimeout,
                deadline: deadline,
                cancellation: cancellation,
                doing: "the greeting"
            )
            guard reply.type == "hello" else {
                throw program.violation("it answered the greeting with a '\(reply.type)' message, not 'hello'")
            }
            guard reply.version == version else {
                throw program.violation(
                    "it speaks protocol version \(reply.version.map(String.init) ?? "(none)"); conlab speaks \(version)"
                )
            }
        } catch {
            program.stop(grace: .zero)
            throw error
        }
        return program
    }

    /// `,"options":{...}` with the options' values, keys sorted; nothing for a program that declares none, so that
    /// its greeting is the same as before options existed.
    private static func optionsField(_ options: [String: ManifestOption.Value]) -> String {
        guard !options.isEmpty else { return "" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let json = try? encoder.encode(options) else { return "" }
        return #","options":"# + String(decoding: json, as: UTF8.self)
    }

    /// Writes `line` and a newline, within `deadline`.
    @available(*, noasync)
    func send(_ line: String, deadline: ContinuousClock.Instant, cancellation: CancellationFlag) throws {
        try checkRunning()
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Self.writeHoldingPipeSignal($0, to: child.input) }
            if written > 0 {
                offset += written
                continue
            }
            let code = written < 0 ? errno : EIO
            guard code == EAGAIN || code == EINTR else {
                throw failure("it stopped reading its input (\(String(cString: strerror(code))))")
            }
            try wait(for: child.input, events: Int16(POLLOUT), deadline: deadline, cancellation: cancellation) {
                "it stopped reading its work"
            }
        }
    }

    /// Reads the next line and decodes it as a message; a line that is not one is a protocol violation.
    @available(*, noasync)
    func receive(
        within limit: Duration,
        deadline: ContinuousClock.Instant,
        cancellation: CancellationFlag,
        doing activity: String,
        longest: Int = shortestLimit
    ) throws -> ProgramMessage {
        let line = try receiveLine(
            within: limit,
            deadline: deadline,
            cancellation: cancellation,
            doing: activity,
            longest: longest
        )
        do {
            return try JSONDecoder().decode(ProgramMessage.self, from: Data(line))
        } catch {
            let shown = String(decoding: line.prefix(80), as: UTF8.self)
            throw violation("it wrote a line that is not a protocol message: \(shown.debugDescription)")
        }
    }

    @available(*, noasync)
    private func receiveLine(
        within limit: Duration,
        deadline: ContinuousClock.Instant,
        cancellation: CancellationFlag,
        doing activity: String,
        longest: Int
    ) throws -> [UInt8] {
        try checkRunning()
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        // The bytes already searched for the line's end: a megabyte line arrives in many reads, and searching
        // it whole after each would cost a read's worth of bytes times the number of reads.
        var searched = 0
        while true {
            let line: [UInt8]? = pending.withLock { pending in
                guard let buffered = pending, let end = buffered[searched...].firstIndex(of: 0x0A) else {
                    searched = pending?.count ?? 0
                    return nil
                }
                pending = Array(buffered[(end + 1)...])
                return Array(buffered[..<end])
            }
            if let line { return line }
            let got = chunk.withUnsafeMutableBytes { Glibc.read(child.output, $0.baseAddress!, $0.count) }
            if got > 0 {
                let tooLong = pending.withLock { pending -> Bool in
                    pending?.append(contentsOf: chunk[..<got])
                    return (pending?.count ?? 0) > longest
                }
                // A program that writes without end must not make conlab hold all of it.
                if tooLong { throw violation("it wrote a line longer than the \(longest) bytes its answer can take") }
                continue
            }
            if got == 0 {
                throw failure("it ended during \(activity) without answering")
            }
            guard errno == EAGAIN || errno == EINTR else {
                throw failure("its output cannot be read (\(String(cString: strerror(errno))))")
            }
            try wait(for: child.output, events: Int16(POLLIN), deadline: deadline, cancellation: cancellation) {
                "it did not answer \(activity) within \(DurationFormat.short(limit))"
            }
        }
    }

    /// Throws when the program was stopped: its pipes are closed, and their numbers may name other files now.
    private func checkRunning() throws {
        guard pending.withLock({ $0 != nil }) else {
            throw ExternalProgramError(manifest.name, "it was stopped after an earlier failure")
        }
    }

    /// Polls `descriptor` until it is ready, cancellation is raised or `deadline` passes.
    @available(*, noasync)
    private func wait(
        for descriptor: Int32,
        events: Int16,
        deadline: ContinuousClock.Instant,
        cancellation: CancellationFlag,
        late: () -> String
    ) throws {
        if cancellation.isRaised {
            stop(grace: .zero)
            throw CancellationError()
        }
        let now = ContinuousClock.now
        guard now < deadline else { throw failure(late() + "; taken for hung and killed") }
        let remaining = Int32(min(Double(Self.slice), ((deadline - now) / .milliseconds(1)).rounded(.up)))
        var entry = pollfd(fd: descriptor, events: events, revents: 0)
        _ = poll(&entry, 1, max(remaining, 1))
    }

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
    private static func writeHoldingPipeSignal(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> Int {
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
