import HeapModule

/// The ideal floor: how long waits would take with no overhead at all.
///
/// For a phase of N units of latency L on k workers this is ⌈N/k⌉·L; with unequal latencies it is the
/// makespan of list scheduling in submission order — what a perfect FIFO pool of k workers achieves.
public enum IdealSchedule {
    /// The time to run `waits`, in order, on `workers` workers (`nil`: one worker per wait).
    public static func makespan(of waits: [Duration], workers: Int?) -> Duration {
        guard let workers, workers < waits.count else { return waits.max() ?? .zero }
        precondition(workers > 0, "a schedule needs at least one worker")
        // Each worker is represented by the time it becomes free; the next wait goes to the earliest.
        var free = Heap<Duration>(repeatElement(Duration.zero, count: workers))
        for wait in waits {
            free.insert(free.removeMin() + wait)
        }
        return free.max ?? .zero
    }
}
