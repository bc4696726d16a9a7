import Foundation

extension StrategyManifest {
    /// Whether the program the manifest starts can be found as conlab would start it: `argv[0]` with a slash
    /// relative to the manifest's folder (where the program starts), without one in `PATH`. A program that is
    /// not found makes the strategy unavailable (its runtime is not installed, or a Go program is not built).
    public var programIsFound: Bool {
        guard let command = argv.first, !command.isEmpty else { return false }
        if command.contains("/") {
            let path = command.hasPrefix("/") ? command : (directory as NSString).appendingPathComponent(command)
            return FileManager.default.isExecutableFile(atPath: path)
        }
        return (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/\(command)")
        }
    }
}
