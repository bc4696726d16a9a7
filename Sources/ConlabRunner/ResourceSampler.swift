import ConlabCore
import ConlabIO
import ConlabToolkit
import Foundation
import Synchronization

/// Samples this process's thread count and resident memory on a thread of its own while a strategy runs.
///
/// Peaks that live shorter than the interval can be missed; the peak RSS also comes from the kernel's
/// high-water mark (`VmHWM`, reset through `/proc/self/clear_refs` where allowed), which misses nothing.
final class ResourceSampler: Sendable {
    private let state = Mutex(State())
    private let stop = CancellationFlag()
    /// Rung by ``finish()``, so that the sampler's thread ends at once rather than at its next sample: the
    /// join is inside the measured wall time, which took up to a whole interval (2 ms) more than the run.
    /// `nil` when the process has no descriptor left: then the thread ends at its next sample.
    private let wake = Doorbell()
    private let interval: Duration
    private let resetHighWaterMark: Bool

    private struct State {
        var peakThreads = 0
        var peakRSSBytes = 0
        var thread: OSThread?
        var peaks: (Int, Int)?
    }

    /// Retires the idle threads of `services`' timers and reactors, then starts a fresh memory peak: both
    /// would otherwise carry what an earlier run left into this run's figures.
    init(retiringIdleThreadsOf services: StandardServices, interval: Duration = .milliseconds(2)) {
        self.interval = interval
        // Waits only for threads that are asleep with nothing to do to wake and end: no pool thread is held
        // by work.
        services.retireIdleThreads()
        resetHighWaterMark = ProcessMemory.startPeak()
    }

    func start() throws {
        sample()
        let thread = try OSThread.spawn(name: "conlab-sampler", stackSize: 256 * 1024) { [self] in
            // Woken every 2 ms, it preempted the strategies' threads as they spun to their deadlines: the
            // slowest 1 % of their waits. (SCHED_IDLE or nice 19 instead starve it on busy cores, and it
            // misses the peaks it is for.)
            OSThread.neverPreemptOnWake()
            let status = ProcessStatus()
            while !stop.isRaised {
                if let wake {
                    if wake.sleep(until: .after(interval), spinning: false) { continue }
                } else {
                    BlockingSleep.sleep(for: interval)
                }
                if let reading = status?.read() { record(reading) }
            }
        }
        state.withLock { $0.thread = thread }
    }

    /// Stops sampling and returns the peaks; later calls return the same peaks.
    ///
    /// The peaks are taken before the sampler's thread is joined, and the join happens on a helper thread,
    /// so neither the join nor the helper is counted and no pool thread blocks.
    func finish() async -> (threads: Int, rssBytes: Int) {
        let (peaks, thread): ((Int, Int), OSThread?) = state.withLock { state in
            if let peaks = state.peaks { return (peaks, nil) }
            stop.raise()
            let highWaterMark = resetHighWaterMark ? ProcessMemory.highWaterMarkBytes() : 0
            // The sampler's own thread is not the strategy's.
            let peaks = (max(1, state.peakThreads - 1), max(state.peakRSSBytes, highWaterMark))
            state.peaks = peaks
            defer { state.thread = nil }
            return (peaks, state.thread)
        }
        wake?.ring()
        if let thread { _ = try? await OSThread.run(name: "conlab-join") { _ in thread.join() } }
        return peaks
    }

    private func sample() {
        if let reading = ProcessMemory.read() { record(reading) }
    }

    private func record(_ reading: ProcessMemory.Reading) {
        state.withLock {
            $0.peakThreads = max($0.peakThreads, reading.threads)
            $0.peakRSSBytes = max($0.peakRSSBytes, reading.residentBytes)
        }
    }
}
