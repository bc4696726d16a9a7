import ConlabCore
import ConlabWorkloads
import Foundation
import Testing

/// A CPU batch in the strategy protocol's `cpu.batch` form: the work a program reads, and the results conlab
/// accepts from it.
@Suite("CPU batches over the strategy protocol")
struct CPUExternalFormTests {
    let batch = CPUWorkload(tasks: [.factorize(12), .gcd(1071, 462)], rounds: 2).batch(phase: 0, from: [])

    static func value(_ json: String) throws -> ExternalValue {
        try JSONDecoder().decode(ExternalValue.self, from: Data(json.utf8))
    }

    @Test("The work names every task once, and the rounds")
    func work() {
        #expect(batch.externalWork() == #"{"tasks":[{"factorize":12},{"gcd":[1071,462]}],"rounds":2}"#)
        #expect(CPUBatch.externalKind == "cpu.batch")
    }

    @Test("Results are one array of whole numbers per unit, unit i computing task i % tasks")
    func results() throws {
        let outputs = try batch.outputs(fromExternal: Self.value("[[1,2,3,4,6,12],[21],[1,2,3,4,6,12],[21]]"))
        #expect(outputs == (0..<batch.count).map { batch.unit(at: $0).advance().output })
    }

    @Test(
        "Results of another form are refused, saying what was expected",
        arguments: [
            (#""1 2 3""#, "results are a string; a batch's results are an array of 4 arrays of whole numbers"),
            ("[[1],[21]]", "results hold 2 units; a batch of 2 tasks × 2 rounds has 4"),
            ("[[1],[21],[1],3]", "unit 3's result is the number 3, not an array of whole numbers"),
            ("[[1],[21],[1],[-3]]", "unit 3's result holds the number -3, not a whole number from 0"),
            ("[[1],[21],[1],[2.5]]", "unit 3's result holds the number 2.5, not a whole number from 0"),
        ]
    )
    func malformed(_ json: String, says: String) throws {
        #expect(throws: ExternalResultError(says)) { try batch.outputs(fromExternal: Self.value(json)) }
    }
}

extension UnitStep {
    /// The output of a finished step.
    fileprivate var output: Output? {
        if case .finished(let output) = self { return output }
        return nil
    }
}
