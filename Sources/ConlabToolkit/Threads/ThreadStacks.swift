import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Stacks for threads that are started and joined again and again, mapped once and reused.
///
/// glibc keeps only about 40 MiB of freed thread stacks; past that, every thread maps a fresh stack,
/// guards it and unmaps it on exit, and in a VM that costs more than the thread itself (10,000 threads
/// per generation: 0.9 s with glibc's stacks, 0.35 s with kept ones, `bench/peers/thread_per_cell.c`).
/// Each thread is still a new OS thread; only the memory under it is recycled, after `join`.
/// Every stack keeps a guard page at its low end, so an overflow faults instead of corrupting a neighbour.
public final class ThreadStacks: Sendable {
    /// One stack: its lowest address (the guard page) and its size in bytes, guard included.
    public struct Stack: Sendable {
        /// The lowest address of the stack, as an integer so that the value is `Sendable`.
        let base: UInt
        /// The size in bytes, guard page included.
        let size: Int
    }

    /// Each stack's size in bytes, a whole number of pages, guard page included.
    public let stackSize: Int

    private struct State: ~Copyable {
        /// Mapped regions, each `(base, bytes)`, unmapped when the stacks are released.
        var regions: [(base: UInt, bytes: Int)] = []
        /// Stacks not in use; the most recently returned one is reused first, while its pages are warm.
        var free: [UInt] = []
        /// How many stacks are mapped in all.
        var mapped = 0
    }

    private let state = Mutex(State())
    private let pageSize: Int

    /// Stacks of `stackSize` bytes (rounded up to whole pages; one more page is the guard).
    public init(stackSize: Int) {
        pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        self.stackSize = (stackSize + pageSize - 1) / pageSize * pageSize + pageSize
    }

    /// Makes sure `count` stacks are free, mapping the shortfall in one region: a phase that knows how
    /// many threads it starts maps no more than it needs (each stack takes two of vm.max_map_count's maps).
    public func reserve(_ count: Int) throws(OSThread.SpawnError) {
        let mapped = state.withLock { state in
            state.free.count >= count || map(count - state.free.count, into: &state)
        }
        guard mapped else { throw OSThread.SpawnError(code: ENOMEM) }
    }

    /// A stack not in use, mapping more (as many again as are mapped, at least 64) when none is free.
    public func take() throws(OSThread.SpawnError) -> Stack {
        let base: UInt? = state.withLock { state in
            if state.free.isEmpty && !map(max(64, state.mapped), into: &state) { return nil }
            return state.free.popLast()
        }
        guard let base else { throw OSThread.SpawnError(code: ENOMEM) }
        return Stack(base: base, size: stackSize)
    }

    /// Maps `count` more stacks and adds them to the free ones; `false` when the system refuses.
    private func map(_ count: Int, into state: inout State) -> Bool {
        let bytes = count * stackSize
        // Reserved, not committed: a stack costs only the pages its thread touches.
        guard
            let region = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
            region != MAP_FAILED
        else { return false }
        let start = UInt(bitPattern: region)
        for index in 0..<count {
            let guardPage = UnsafeMutableRawPointer(bitPattern: start + UInt(index * stackSize))
            // Each guard splits the mapping; past vm.max_map_count this fails, and a stack without its
            // guard is not handed out.
            guard mprotect(guardPage, pageSize, PROT_NONE) == 0 else {
                munmap(region, bytes)
                return false
            }
        }
        state.regions.append((start, bytes))
        state.mapped += count
        // Handed out lowest first, so that a phase walks the region in order.
        state.free.append(contentsOf: (0..<count).reversed().map { start + UInt($0 * stackSize) })
        return true
    }

    /// Makes `stack` available again; call only once the thread that ran on it has been joined.
    public func giveBack(_ stack: Stack) {
        state.withLock { $0.free.append(stack.base) }
    }

    /// How many stacks are mapped.
    public var mappedCount: Int { state.withLock { $0.mapped } }

    deinit {
        state.withLock { state in
            for region in state.regions {
                munmap(UnsafeMutableRawPointer(bitPattern: region.base), region.bytes)
            }
        }
    }
}
