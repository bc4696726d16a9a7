import ConlabCore
import ConlabLatency
import ConlabTestSupport
import Foundation
import Testing

/// The `python3` found in `PATH`, if any. Outside the suite, whose condition reads it before the suite exists.
private let installedPython: String? = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }

/// The strategy protocol's promise that a program in another language waits exactly what conlab's strategies
/// wait (docs/strategy-protocol.md): Python's port of the generator and the latency models
/// (`Plugins/python/conlab_protocol.py`) gives conlab's draws, bit for bit and nanosecond for nanosecond.
@Suite("Python draws", .enabled(if: installedPython != nil, "python3 is not installed"))
struct PythonDrawsTests {
    static let models: [LatencyModel] = [
        .fixed(.milliseconds(100)),
        .uniform(min: .milliseconds(3), max: .milliseconds(1)),
        .normal(mean: .milliseconds(10), standardDeviation: .milliseconds(3)),
        .normal(mean: .milliseconds(1), standardDeviation: .milliseconds(5)),
        .exponential(mean: .milliseconds(5)),
        .lognormal(median: .milliseconds(10), sigma: 0.8),
        .pareto(scale: .milliseconds(1), shape: 1.5),
        .pareto(scale: .milliseconds(1), shape: 0.05),
        .empirical([.milliseconds(1), .microseconds(2500), .milliseconds(5)]),
    ]

    @Test("Python's generator and latency models draw what conlab draws")
    func identical() throws {
        let seed: UInt64 = 0xC0FF_EE12_3456_789A
        let count = 5000
        let request =
            #"{"seed":\#(seed),"count":\#(count),"models":[\#(Self.models.map(\.externalJSON).joined(separator: ","))]}"#
        let script = """
            import json, sys
            sys.path.insert(0, sys.argv[1])
            import conlab_protocol as p
            request = json.load(sys.stdin)
            seed, count = request["seed"], request["count"]
            print(json.dumps({
                "bits": [str(p.counter_bits(seed, i, 3, 5, 1)) for i in range(count)],
                "samples": [[str(p.sample_ns(m, p.counter_uniform(seed, i, 3, 5, 0))) for i in range(count)]
                            for m in request["models"]],
            }))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(installedPython))
        process.arguments = ["-c", script, ConlabBinary.packageRoot.appendingPathComponent("Plugins/python").path]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(Data(request.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let answer = try JSONDecoder().decode([String: [JSONValueOrList]].self, from: data)
        let random = CounterRandom(seed: seed)
        let bits = try #require(answer["bits"]).compactMap(\.text)
        #expect(bits == (0..<count).map { String(random.bits(UInt64($0), 3, 5, 1)) })
        let samples = try #require(answer["samples"]).compactMap(\.list)
        #expect(samples.count == Self.models.count)
        for (model, drawn) in zip(Self.models, samples) {
            let expected = (0..<count).map {
                String(model.sample(random.uniform(UInt64($0), 3, 5, 0)).wholeNanoseconds)
            }
            let differing = zip(expected, drawn).enumerated().filter { $0.element.0 != $0.element.1 }
            #expect(
                differing.isEmpty,
                "\(model.summary): \(differing.count) draws differ, first \(differing.prefix(3))"
            )
        }
    }
}

/// A string, or a list of strings: the two shapes of the Python script's answer.
private enum JSONValueOrList: Decodable {
    case text(String)
    case list([String])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .text(text)
        } else {
            self = .list(try container.decode([String].self))
        }
    }

    var text: String? { if case .text(let text) = self { text } else { nil } }
    var list: [String]? { if case .list(let list) = self { list } else { nil } }
}
