public import Foundation

/// conlab's Go strategies (`Plugins/go`), built once per test process by their own script, as a user builds
/// them (`Plugins/go/build`), into `.build/go`.
public enum GoPrograms {
    /// Whether `go` is in `PATH`.
    public static let goIsInstalled: Bool = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        .contains { FileManager.default.isExecutableFile(atPath: "\($0)/go") }

    /// The build's outcome: the folder of the programs, or what the script printed when it failed.
    private static let build: Result<URL, BuildFailure> = {
        let process = Process()
        process.executableURL = ConlabBinary.packageRoot.appendingPathComponent("Plugins/go/build")
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return .failure(BuildFailure(description: "Plugins/go/build did not start: \(error)"))
        }
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            return .failure(BuildFailure(description: "Plugins/go/build failed: \(printed)"))
        }
        return .success(ConlabBinary.packageRoot.appendingPathComponent(".build/go"))
    }()

    /// The built program `name` (`conlab-goroutines`), building them all the first time.
    public static func program(_ name: String) throws -> URL {
        try build.get().appendingPathComponent(name)
    }

    /// What `Plugins/go/build` printed when it failed.
    public struct BuildFailure: Error, CustomStringConvertible {
        /// The message.
        public var description: String
    }
}
