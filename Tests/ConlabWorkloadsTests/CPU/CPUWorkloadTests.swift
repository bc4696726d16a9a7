import ConlabCore
import ConlabToolkit
import ConlabWorkloads
import Testing

@Suite("CPU tasks of items 53 and 64")
struct CPUWorkloadTests {
    @Test("factorize yields every divisor, as the seed's generator does")
    func factorize() {
        #expect(CPUTask.factorize(12).compute() == [1, 2, 3, 4, 6, 12])
        #expect(CPUTask.factorize(1).compute() == [1])
        #expect(CPUTask.factorize(2_139_079).compute().first == 1)
        #expect(CPUTask.factorize(2_139_079).compute().last == 2_139_079)
    }

    @Test(
        "gcd counts down from the smaller number",
        arguments: [(12, 18, 6), (17, 5, 1), (1_963_309, 2_265_973, 1), (100, 100, 100)]
    )
    func gcd(a: Int, b: Int, expected: Int) {
        #expect(CPUTask.gcd(a, b).compute() == [expected])
    }

    @Test("Each task runs rounds times as units of its own, and the digest covers every result in order")
    func units() throws {
        let workload = CPUWorkload(tasks: [.factorize(28), .gcd(12, 8)], rounds: 2)
        let batch = workload.batch(phase: 0, from: workload.initialState)
        #expect(batch.count == 4)
        let outputs = try (0..<batch.count).map { try batch.unit(at: $0).runInstantly().result.get() }
        #expect(outputs == [[1, 2, 4, 7, 14, 28], [4], [1, 2, 4, 7, 14, 28], [4]])
        #expect(batch.unit(at: 3).coordinates.description == "batch 0, gcd(12, 8) round 1")
        let state = workload.state(after: batch, outputs: outputs)
        #expect(workload.digest(of: state) == SHA256.hexDigest(of: "1 2 4 7 14 28\n4\n1 2 4 7 14 28\n4\n"))
    }
}
