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
    let errors: AnonymousFile?
    /// Bytes read after the last complete line; `nil` once the program has been stopped.
    let pending = Mutex<[UInt8]?>([])

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

}
