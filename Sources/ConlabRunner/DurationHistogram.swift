import ConlabCore
import ConlabLog
import Foundation
import Histogram
import Synchronization

/// An HDR histogram of durations that many threads record into: sharded by thread, so threads finishing
/// units at the same moment rarely wait for each other's lock; the shards are added up when read.
final class DurationHistogram: Sendable {
    private final class Shard: Sendable {
        /// Made by the shard's first record: a histogram's counts (1 µs to an hour, three digits) are 192 KiB,
        /// zeroed when made, and a run makes two histograms per round while most threads' units land in one or
        /// two of the four shards. Made up front, they were 1.7 MiB of a small run's peak memory.
        let histogram = Mutex<Histogram<UInt64>?>(nil)
    }

    private let shards = (0..<4).map { _ in Shard() }

    /// Records `duration`; a negative one counts as zero.
    func record(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = UInt64(clamping: max(0, seconds * 1_000_000_000 + attoseconds / 1_000_000_000))
        withFreeShard { _ = $0.record(nanoseconds) }
    }

    /// Records many durations given in nanoseconds, under one lock; negative ones count as zero.
    func record(nanoseconds: UnsafeBufferPointer<Int64>) {
        guard !nanoseconds.isEmpty else { return }
        withFreeShard { histogram in
            for value in nanoseconds { _ = histogram.record(UInt64(clamping: max(0, value))) }
        }
    }

    /// Runs `body` on the histogram of a shard it holds the lock of, made on first use.
    ///
    /// A shard whose lock is held is passed over for the next one free: with thousands of unit threads on
    /// two cores, the holder is most often a thread the kernel preempted, and spinning on its lock took 4 %
    /// of the `thread` strategy's CPU at 10,000 cells (`perf record`, `Mutex._lockSlow` under `waited`).
    /// Only when every shard is held does the thread wait, for the calling thread's own.
    private func withFreeShard(_ body: (inout Histogram<UInt64>) -> Void) {
        func add(_ histogram: inout Histogram<UInt64>?) {
            // Not `histogram == nil`: that copied the whole histogram out and destroyed the copy, 320 instructions
            // a record (callgrind, `thread` at 10,000 cells: 780 instructions a cell).
            if case .none = histogram { histogram = Self.empty() }
            body(&histogram!)
        }
        let home = Self.shard
        for offset in 0..<shards.count {
            if shards[(home + offset) % shards.count].histogram.withLockIfAvailable({ add(&$0) }) != nil { return }
        }
        shards[home].histogram.withLock { add(&$0) }
    }

    /// An empty histogram of nanoseconds, from 1 µs to an hour.
    private static func empty() -> Histogram<UInt64> {
        Histogram<UInt64>(lowestDiscernibleValue: 1000, highestTrackableValue: 3_600_000_000_000)
    }

    /// The calling thread's shard: its handle, mixed, so threads rarely share one.
    private static var shard: Int { Int((UInt(pthread_self()) &* 0x9E37_79B9_7F4A_7C15) >> 62) }

    /// The summary; `nil` when nothing was recorded.
    var summary: LatencySummary? {
        // The shards that recorded anything, added up; one shard alone is read as it is, without a copy.
        var sum: Histogram<UInt64>?
        for shard in shards {
            shard.histogram.withLock { histogram in
                guard let histogram else { return }
                if sum == nil { sum = histogram } else { sum!.add(histogram) }
            }
        }
        guard let total = sum, total.totalCount > 0 else { return nil }
        func seconds(_ nanoseconds: UInt64) -> Double { Double(nanoseconds) / 1e9 }
        return LatencySummary(
            count: Int(total.totalCount),
            p50Seconds: seconds(total.valueAtPercentile(50)),
            p90Seconds: seconds(total.valueAtPercentile(90)),
            p99Seconds: seconds(total.valueAtPercentile(99)),
            maxSeconds: seconds(total.max)
        )
    }
}
