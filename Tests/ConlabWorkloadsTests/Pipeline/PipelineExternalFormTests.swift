import ConlabCore
import ConlabLatency
import ConlabWorkloads
import Foundation
import Testing

/// A pipeline in the strategy protocol's `pipeline` form: the work a program reads, and the results conlab
/// records from it.
@Suite("Pipelines over the strategy protocol")
struct PipelineExternalFormTests {
    let work = PipelineWorkload(
        itemCount: 3,
        work: [
            .init(stage: PipelineStage(name: "down\"load", workers: 2), io: IOModel(latency: .fixed(.milliseconds(1)))),
            .init(stage: PipelineStage(name: "resize", workers: 1), io: nil, cpu: .microseconds(5)),
        ],
        buffer: 4,
        discipline: .polling(interval: .milliseconds(10)),
        random: CounterRandom(seed: 55)
    )

    static func value(_ json: String) throws -> ExternalValue {
        try JSONDecoder().decode(ExternalValue.self, from: Data(json.utf8))
    }

    @Test("The work holds the items, seed, buffer, discipline and every stage's workers, I/O model and CPU")
    func form() throws {
        let text = work.externalWork()
        #expect(
            text == #"{"items":3,"seed":55,"buffer":4,"discipline":{"kind":"polling","interval_ns":10000000},"#
                + #""stages":[{"name":"down\"load","workers":2,"io":{"latency":{"kind":"fixed","value_ns":1000000},"#
                + #""failure_rate":0.0,"timeout_ns":null},"cpu_ns":0},"#
                + #"{"name":"resize","workers":1,"io":null,"cpu_ns":5000}]}"#
        )
        // It is JSON a program can read.
        #expect(try Self.value(text) != .null)
        #expect(PipelineWorkload.externalKind == "pipeline")
    }

    @Test(
        "The source value and each stage's value are the documented draws: bits(seed; 0x50C7CE, item), bits(value; stage)"
    )
    func draws() throws {
        let random = CounterRandom(seed: 55)
        #expect(work.source(item: 2) == random.bits(0x50C7CE, 2))
        var unit = work.unit(stage: 1, item: 2, input: 99)
        guard case .finished(let output) = unit.advance() else {
            Issue.record("a stage without I/O computes at once")
            return
        }
        #expect(output == CounterRandom(seed: 99).bits(1))
    }

    @Test("The worked example of docs/strategy-protocol.md: seed 55, a uniform 1–3 ms stage failing one call in ten")
    func documentedExample() throws {
        let example = PipelineWorkload(
            itemCount: 10,
            work: [
                .init(
                    stage: PipelineStage(name: "download", workers: 1),
                    io: IOModel(
                        latency: .uniform(min: .milliseconds(1), max: .milliseconds(3)),
                        failureRate: 0.1
                    )
                ),
                .init(stage: PipelineStage(name: "resize", workers: 1), io: nil),
            ],
            buffer: nil,
            discipline: .blocking,
            random: CounterRandom(seed: 55)
        )
        #expect(example.source(item: 0) == 16_128_687_313_915_590_044)
        var first = example.unit(stage: 0, item: 0, input: 16_128_687_313_915_590_044)
        guard case .wait(let wait) = first.advance(), case .finished(let afterDownload) = first.advance() else {
            Issue.record("a stage with I/O waits, then computes")
            return
        }
        #expect(wait.duration == .nanoseconds(2_698_567))
        #expect(afterDownload == 719_462_870_557_304_403)
        var second = example.unit(stage: 1, item: 0, input: afterDownload)
        guard case .finished(let afterResize) = second.advance() else { return }
        #expect(afterResize == 11_380_468_397_526_825_989)
        // Item 9's call fails after its wait: the first failure, item by item.
        #expect(example.unit(stage: 0, item: 9, input: 0).runInstantly().result.failure?.reason == .ioFailed)
        #expect(
            (0..<9).allSatisfy { example.unit(stage: 0, item: $0, input: 0).runInstantly().result.failure == nil }
        )
    }

    @Test("Deliveries are recorded in the order given, with the program's latencies and figures")
    func recording() throws {
        let recorder = PipelineRecorder(items: 3, stages: 2)
        try work.record(
            fromExternal: Self.value(
                #"{"delivered":[[1,18446744073709551615,2000],[0,7,3000],[2,8,1000]],"busy_ns":[5,6],"max_depth":[3,1],"#
                    + #""polls":10,"empty_polls":4}"#
            ),
            into: recorder
        )
        let state = recorder.snapshot
        #expect(state.order == [1, 0, 2])
        #expect(state.values == [7, UInt64.max, 8])
        #expect(state.latencies == [.nanoseconds(2000), .nanoseconds(3000), .nanoseconds(1000)])
        #expect(state.busy == [.nanoseconds(5), .nanoseconds(6)])
        #expect(state.maximumDepths == [3, 1])
        #expect(state.polls == 10 && state.emptyPolls == 4)
    }

    @Test(
        "Results of another form are refused, saying what was expected",
        arguments: [
            ("[]", "results are an array of 0; a pipeline's results are an object whose 'delivered' is an array"),
            (#"{"delivered":[[3,1,1]]}"#, "delivery 0 is an array of 3; each is [item, value, latency_ns]"),
            (#"{"delivered":[[0,1]]}"#, "delivery 0 is an array of 2; each is [item, value, latency_ns]"),
            (#"{"delivered":[],"busy_ns":[1]}"#, "'busy_ns' is an array of 1; it is an array of 2 whole numbers"),
            (#"{"delivered":[],"polls":-1}"#, "'polls' is the number -1, not a whole number from 0"),
        ]
    )
    func malformed(_ json: String, says: String) throws {
        let recorder = PipelineRecorder(items: 3, stages: 2)
        do {
            try work.record(fromExternal: Self.value(json), into: recorder)
            Issue.record("accepted \(json)")
        } catch {
            #expect("\(error)".hasPrefix(says), "\(error)")
        }
    }
}

extension Result {
    /// The failure, if it is one.
    fileprivate var failure: Failure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}
