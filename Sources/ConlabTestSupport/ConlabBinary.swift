import ConlabCore
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
        // Drain both pipes while the child runs, so neither can fill up and stall it.
        let errorData = Mutexed<Data>()
        let reader = Thread { errorData.set(error.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        return Output(
            status: process.terminationStatus,
            standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.value ?? Data(), as: UTF8.self)
        )
    }
}
