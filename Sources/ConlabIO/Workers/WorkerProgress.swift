import CLinux

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where a worker process notes the unit it is running, so that its parent can name that unit if the
/// worker dies in the middle of a chunk.
///
/// A memory page shared with the worker: a memfd the worker inherits as descriptor 3. The worker stores
/// an index before each unit; the parent reads it only after reaping a worker that died. That costs no
/// message and no wake-up per unit, which is what sending units in chunks saves.
///
/// `@unchecked Sendable`: the word is written by the worker's one thread and read by the parent only after
/// reaping that worker, and the descriptor is closed by the thread that made the page before sharing it.
public final class WorkerProgress: @unchecked Sendable {
    /// The descriptor a worker finds the shared page on.
    public static let inheritedDescriptor: Int32 = 3
    /// Stored when no unit of the current batch has started.
    private static let none: Int64 = -1

    /// The memfd; the parent passes it to the child, then closes it with ``closeDescriptor()``.
    public private(set) var descriptor: Int32
    private let word: UnsafeMutablePointer<Int64>

    private init(descriptor: Int32, word: UnsafeMutablePointer<Int64>) {
        self.descriptor = descriptor
        self.word = word
    }

    deinit {
        closeDescriptor()
        munmap(word, MemoryLayout<Int64>.size)
    }

    /// A new shared page for a worker about to start, or `nil` where the system refuses one.
    public static func create() -> WorkerProgress? {
        let descriptor = clinux_memfd("conlab-worker-progress")
        guard descriptor >= 0 else { return nil }
        guard ftruncate(descriptor, off_t(MemoryLayout<Int64>.size)) == 0, let progress = map(descriptor) else {
            close(descriptor)
            return nil
        }
        progress.unit = nil
        return progress
    }

    /// The page this worker's parent passed as ``inheritedDescriptor``, or `nil` when it passed none
    /// (a worker started by hand).
    public static func inherited() -> WorkerProgress? {
        guard clinux_is_memfd(inheritedDescriptor) == 1 else { return nil }
        var status = stat()
        guard fstat(inheritedDescriptor, &status) == 0, status.st_size >= MemoryLayout<Int64>.size else { return nil }
        let progress = map(inheritedDescriptor)
        progress?.closeDescriptor()
        return progress
    }

    private static func map(_ descriptor: Int32) -> WorkerProgress? {
        let address = mmap(nil, MemoryLayout<Int64>.size, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0)
        guard let address, address != MAP_FAILED else { return nil }
        return WorkerProgress(descriptor: descriptor, word: address.assumingMemoryBound(to: Int64.self))
    }

    /// Closes the descriptor; the shared page stays mapped.
    public func closeDescriptor() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    /// The index of the unit running in the current batch, or `nil` before the first.
    public var unit: Int? {
        get { word.pointee == Self.none ? nil : Int(word.pointee) }
        set { word.pointee = newValue.map(Int64.init) ?? Self.none }
    }
}
