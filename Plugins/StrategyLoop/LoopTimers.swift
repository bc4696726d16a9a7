import HeapModule

/// An event loop's parked units, earliest deadline first.
///
/// Deadlines mostly arrive in order — with a fixed latency every new wait ends after all the others —
/// so a wait due no earlier than the last one added goes to the end of a sorted run in O(1), and only
/// the rest go to a heap. The earliest is whichever of the run's head and the heap's minimum is smaller.
struct LoopTimers {
    private var run: [LoopTimer] = []
    private var head = 0
    private var heap = Heap<LoopTimer>()

    /// Room for `capacity` timers.
    init(capacity: Int) {
        run.reserveCapacity(capacity)
    }

    /// Whether no unit is parked.
    var isEmpty: Bool { head == run.count && heap.isEmpty }

    /// The timer due first.
    var first: LoopTimer? {
        let fromRun = head < run.count ? run[head] : nil
        guard let fromHeap = heap.min else { return fromRun }
        guard let fromRun else { return fromHeap }
        return fromHeap < fromRun ? fromHeap : fromRun
    }

    /// Parks a unit.
    mutating func insert(_ timer: LoopTimer) {
        if head == run.count {
            run.removeAll(keepingCapacity: true)
            head = 0
        }
        if let last = run.last, timer < last {
            heap.insert(timer)
        } else {
            run.append(timer)
        }
    }

    /// Removes and returns the timer due first if it is due at `now` (monotonic nanoseconds).
    mutating func popDue(at now: Int64) -> LoopTimer? {
        let fromRun = head < run.count ? run[head] : nil
        if let fromHeap = heap.min, fromHeap.deadline <= now, fromRun.map({ fromHeap < $0 }) ?? true {
            return heap.removeMin()
        }
        guard let fromRun, fromRun.deadline <= now else { return nil }
        head += 1
        return fromRun
    }
}
