import ConlabCore
import ConlabTestSupport
import ConlabToolkit
import Foundation
import Synchronization
import Testing

@testable import ConlabRunner

@Suite("Resource sampler")
struct ResourceSamplerTests {
    /// The scheduling policy (field 41 of `/proc/self/task/TID/stat`) of this process's thread named `name`.
    private static func policy(ofThreadNamed name: String) -> Int? {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        for task in tasks {
            let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8)
            guard comm?.trimmingCharacters(in: .whitespacesAndNewlines) == name,
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after the command's closing parenthesis start at field 3 (state).
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 38 ? Int(fields[38]) : nil
        }
        return nil
    }

    @Test("The sampler never preempts on waking (SCHED_BATCH) and still sees a thread peak on busy cores")
    func batchSchedulingKeepsPeaks() async throws {
        let sampler = ResourceSampler(retiringIdleThreadsOf: TestServices.shared)
        try sampler.start()
        // Let its thread start and lower itself.
        try await Task.sleep(for: .milliseconds(20))
        #expect(Self.policy(ofThreadNamed: "conlab-sampler") == 3, "SCHED_BATCH is policy 3")
        // Both cores busy while 40 more threads exist for 300 ms: the peak is still sampled.
        let stop = Atomic<Bool>(false)
        try await OSThread.run(name: "sampler-load") { _ in
            var threads: [OSThread] = []
            for index in 0..<42 {
                threads.append(
                    try OSThread.spawn(name: "load-\(index)") {
                        if index < 2 {
                            while !stop.load(ordering: .relaxed) {}
                        } else {
                            BlockingSleep.sleep(for: .milliseconds(300))
                        }
                    }
                )
            }
            BlockingSleep.sleep(for: .milliseconds(300))
            stop.store(true, ordering: .relaxed)
            for thread in threads { thread.join() }
        }
        let peaks = await sampler.finish()
        #expect(peaks.threads >= 42, "peak threads \(peaks.threads)")
    }

    @Test("Finishing wakes the sampler's thread: the measured wall time does not wait for its next sample")
    func finishDoesNotWaitForTheNextSample() async throws {
        // An interval far longer than the test: before the doorbell, finish() joined a thread asleep for it.
        let sampler = ResourceSampler(retiringIdleThreadsOf: TestServices.shared, interval: .seconds(30))
        try sampler.start()
        try await Task.sleep(for: .milliseconds(20))
        let clock = ContinuousClock()
        let started = clock.now
        let peaks = await sampler.finish()
        let took = clock.now - started
        #expect(took < .seconds(5), "finish took \(took)")
        #expect(peaks.rssBytes > 0)
    }
}
