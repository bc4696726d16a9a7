import ConlabCore
import ConlabLatency
import ConlabTestSupport
import Foundation
import Testing

/// The strategy protocol's promise that a program in another language waits exactly what conlab's strategies
/// wait, for Go: the port in `Plugins/go/protocol` gives conlab's draws, bit for bit and nanosecond for
/// nanosecond (its pow is the C library's, as conlab's is, because Go's own moved Pareto draws).
@Suite("Go draws", .enabled(if: GoPrograms.goIsInstalled, "go is not installed"))
struct GoDrawsTests {
    @Test("Go's generator and latency models draw what conlab draws")
    func identical() throws {
        let seed: UInt64 = 0xC0FF_EE12_3456_789A
        let count = 5000
        let models = PythonDrawsTests.models
        let request =
            #"{"seed":\#(seed),"count":\#(count),"models":[\#(models.map(\.externalJSON).joined(separator: ","))]}"#
        let process = Process()
        process.executableURL = try GoPrograms.program("conlab-draws")
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
        let answer = try JSONDecoder().decode(Answer.self, from: data)
        let random = CounterRandom(seed: seed)
        #expect(answer.bits == (0..<count).map { String(random.bits(UInt64($0), 3, 5, 1)) })
        #expect(answer.samples.count == models.count)
        for (model, drawn) in zip(models, answer.samples) {
            let expected = (0..<count).map {
                String(model.sample(random.uniform(UInt64($0), 3, 5, 0)).wholeNanoseconds)
            }
            let differing = zip(expected, drawn).enumerated().filter { $0.element.0 != $0.element.1 }
            #expect(
                differing.isEmpty && drawn.count == count,
                "\(model.summary): \(differing.count) draws differ, first \(differing.prefix(3))"
            )
        }
    }

    /// `conlab-draws`' answer: the bits, and each model's samples, as decimal strings.
    private struct Answer: Decodable {
        var bits: [String]
        var samples: [[String]]
    }
}
