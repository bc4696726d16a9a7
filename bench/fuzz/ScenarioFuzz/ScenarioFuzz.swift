import ConlabScenario
import ConlabStrategies
import ConlabWorkloads
import Foundation

/// Feeds bytes to the scenario loader: every input must end in a scenario or a ``ScenarioError``, never a trap.
enum ScenarioFuzz {
    static let loader = ScenarioLoader(registry: BuiltInStrategies.registry, workloads: BuiltInWorkloads.registry)

    /// Loads `bytes` as a scenario file would be loaded: UTF-8 checked, then parsed and validated.
    static func load(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        _ = try? loader.load(yaml: text, file: "fuzz.yaml")
    }
}

#if CONLAB_FUZZ
/// libFuzzer's entry point.
@_cdecl("LLVMFuzzerTestOneInput")
public func scenarioFuzzInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    ScenarioFuzz.load(UnsafeBufferPointer(start: data, count: size))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// The executable's entry point as SwiftPM links it (`main` is this module's `_main`): libFuzzer's driver,
/// started through `LLVMFuzzerRunDriver`, since libFuzzer's own `main` is displaced.
@_cdecl("ConlabFuzz_main")
public func scenarioFuzzMain(
    _ argc: CInt,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
    var count = argc
    var arguments = argv
    return runDriver(&count, &arguments, scenarioFuzzInput)
}
#else
/// Without libFuzzer: loads each file named on the command line and prints how long it took per MB.
@main
enum ScenarioReplay {
    static func main() {
        let clock = ContinuousClock()
        var slowest = 0.0
        for path in CommandLine.arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            let started = clock.now
            data.withUnsafeBytes { ScenarioFuzz.load($0.bindMemory(to: UInt8.self)) }
            let seconds =
                Double((clock.now - started).components.attoseconds) / 1e18
                + Double((clock.now - started).components.seconds)
            slowest = max(slowest, seconds / max(Double(data.count) / 1e6, 1e-3))
        }
        print("\(CommandLine.arguments.count - 1) inputs, slowest \(slowest) s per MB")
    }
}
#endif
