import ConlabCore
import ConlabToolkit
public import Foundation

/// Runs the built `conlab` executable, as a user would, for end-to-end tests.
public enum ConlabBinary {
    /// What a run printed and how it ended.
    public struct Output: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything written to standard output.
        public var standardOutput: String
        /// Everything written to standard error.
        public var standardError: String
    }

    /// Where one of conlab's standard output streams goes.
    public enum Sink: Sendable {
        /// A pipe the test reads to the end.
        case captured
        /// Nowhere: the descriptor is closed when conlab starts (`2>&-`), so every write fails with EBADF.
        case closed
        /// `/dev/full`, where every write fails with ENOSPC.
        case full
        /// A pipe whose reading end is closed before conlab starts, so every write fails with EPIPE (and
        /// raises SIGPIPE, which kills a program that does not ignore it).
        case brokenPipe
    }

    /// The package's root folder.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `conlab` executable built next to the running tests.
    public static var executable: URL {
        // Test bundles live in the same products folder as the executables (.build/<triple>/debug).
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("conlab")
            if FileManager.default.isExecutableFile(atPath: candidate.path),
                !candidate.hasDirectoryPath
            {
                return candidate
            }
            folder = folder.deletingLastPathComponent()
        }
        return packageRoot.appendingPathComponent(".build/debug/conlab")
    }

    /// Starts `conlab` with `arguments` in the package root and returns at once, for tests that signal or
    /// kill it while it runs. Standard error goes to `errors`, or nowhere; `environment` is added to this
    /// process's (a marker that every process of the run inherits, say).
    public static func start(
        _ arguments: [String],
        errors: Pipe? = nil,
        environment: [String: String] = [:]
    ) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.currentDirectoryURL = packageRoot
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = FileHandle.nullDevice
        if let errors { process.standardError = errors } else { process.standardError = FileHandle.nullDevice }
        try process.run()
        return process
    }

    /// Starts `conlab` with `arguments` in the package root with its standard output and error going to
    /// `standardOutput` and `standardError`, and returns at once; a captured stream is drained by a
    /// thread of its own (and dropped), so the process can never stall on a full pipe.
    public static func start(
        _ arguments: [String],
        standardOutput: Sink,
        standardError: Sink
    ) throws -> Process {
        let launch = try prepare(
            arguments,
            in: packageRoot,
            standardOutput: standardOutput,
            standardError: standardError
        )
        try launch.process.run()
        for case let pipe? in [launch.captured.0, launch.captured.1] {
            Thread { _ = pipe.fileHandleForReading.readDataToEndOfFile() }.start()
        }
        return launch.process
    }

    /// Runs `conlab` with `arguments` in `folder`, its standard output and error going to `standardOutput`
    /// and `standardError`, and waits for it on a thread of its own. A stream not captured reads as empty;
    /// a death by signal is the shell's status, 128 + the signal (132 for SIGILL).
    public static func run(
        _ arguments: [String],
        in folder: URL = packageRoot,
        standardOutput: Sink,
        standardError: Sink
    ) async throws -> Output {
        try await OSThread.run(name: "conlab-e2e") { _ in
            let launch = try prepare(
                arguments,
                in: folder,
                standardOutput: standardOutput,
                standardError: standardError
            )
            try launch.process.run()
            return collect(launch.process, output: launch.captured.0, error: launch.captured.1)
        }
    }

    /// A process set up to start conlab with the given streams, and the pipes to read for the captured ones.
    private static func prepare(
        _ arguments: [String],
        in folder: URL,
        standardOutput: Sink,
        standardError: Sink
    ) throws -> (process: Process, captured: (Pipe?, Pipe?)) {
        let process = Process()
        process.currentDirectoryURL = folder
        process.standardInput = FileHandle.nullDevice
        // Foundation cannot start a process with a descriptor closed; a shell that closes it and then
        // replaces itself with conlab can, and leaves conlab's process id the one `process` knows.
        let closing = [(standardOutput, 1), (standardError, 2)].filter {
            if case .closed = $0.0 { true } else { false }
        }
        if closing.isEmpty {
            process.executableURL = executable
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            let redirections = closing.map { " \($0.1)>&-" }.joined()
            process.arguments = ["-c", "exec \"$0\" \"$@\"" + redirections, executable.path] + arguments
        }
        func attach(_ sink: Sink) throws -> (Any?, Pipe?) {
            switch sink {
            case .captured:
                let pipe = Pipe()
                return (pipe, pipe)
            case .closed: return (nil, nil)
            case .full:
                guard let file = FileHandle(forWritingAtPath: "/dev/full") else {
                    throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "/dev/full"])
                }
                return (file, nil)
            case .brokenPipe:
                let pipe = Pipe()
                try pipe.fileHandleForReading.close()
                return (pipe, nil)
            }
        }
        let (output, capturedOutput) = try attach(standardOutput)
        let (error, capturedError) = try attach(standardError)
        if let output { process.standardOutput = output }
        if let error { process.standardError = error }
        return (process, (capturedOutput, capturedError))
    }

    /// Runs `conlab` with `arguments` in the package root and waits for it on a thread of its own,
    /// so tests running in parallel on the cooperative pool are not held up. With a `launcher`
    /// (`["/usr/bin/taskset", "-c", "0"]`), that command starts conlab.
    public static func run(
        _ arguments: [String],
        in folder: URL = packageRoot,
        launcher: [String] = []
    ) async throws -> Output {
        try await OSThread.run(name: "conlab-e2e") { _ in try runBlocking(arguments, in: folder, launcher: launcher) }
    }

    @available(*, noasync)
    private static func runBlocking(_ arguments: [String], in folder: URL, launcher: [String]) throws -> Output {
        let process = Process()
        if let command = launcher.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = launcher.dropFirst() + [executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.currentDirectoryURL = folder
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return collect(process, output: output, error: error)
    }

    /// Reads the captured pipes to their end while `process` runs, so neither can fill up and stall it,
    /// then waits for it.
    @available(*, noasync)
    private static func collect(_ process: Process, output: Pipe?, error: Pipe?) -> Output {
        let errorData = Mutexed<Data>()
        if let error {
            Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }.start()
        } else {
            errorData.set(Data())
        }
        let outputData = output?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        let signalled = process.terminationReason == .uncaughtSignal
        return Output(
            status: signalled ? 128 + process.terminationStatus : process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.value ?? Data(), as: UTF8.self)
        )
    }
}
