import Synchronization

/// Hands out a phase's units to worker processes in contiguous chunks.
///
/// Each chunk is one round trip over a worker's pipes, which wakes a thread on each side; on two busy cores
/// those hand-overs took time from the units. Guided chunks (the default) start at a quarter of the units
/// left per worker pair and shrink with them, so a phase costs a few dozen round trips instead of one per
/// unit, and the last chunks are single units that keep the workers finishing together. A fixed size is
/// `ProcessPoolExecutor.map`'s `chunksize`; 1 is its default, a round trip per unit.
final class ChunkSchedule: Sendable {
    private let count: Int
    private let workers: Int
    private let fixedSize: Int?
    private let next = Mutex(0)

    /// A schedule of `count` units for `workers` workers, in chunks of `fixedSize` units, or guided when `nil`.
    init(count: Int, workers: Int, fixedSize: Int?) {
        self.count = count
        self.workers = max(1, workers)
        self.fixedSize = fixedSize
    }

    /// The next chunk, or `nil` when every unit has been handed out.
    ///
    /// A chunk to queue `ahead` of one a worker is already running is bound to that worker, so it is handed
    /// out only while every worker could still get a chunk of its size: otherwise the first worker to ask
    /// would take two large chunks while another waits with none (two chunks of 200 units took one worker
    /// the whole phase).
    func take(ahead: Bool = false) -> Range<Int>? {
        next.withLock { next in
            let remaining = count - next
            guard remaining > 0 else { return nil }
            let size = min(remaining, fixedSize ?? max(1, remaining / (2 * workers)))
            guard !ahead || remaining >= size * workers else { return nil }
            defer { next += size }
            return next..<next + size
        }
    }
}
