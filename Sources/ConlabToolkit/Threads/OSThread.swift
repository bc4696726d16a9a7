import CLinux

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A real OS thread (pthread), for strategies whose units block threads of their own.
///
/// Foundation's `Thread` hides the stack size and join; strategies need both to measure what threads cost.
public struct OSThread: Sendable {
    /// The thread could not be created; `code` is the `pthread_create` error (EAGAIN: a limit was hit).
    public struct SpawnError: Error, Sendable, CustomStringConvertible {
        /// The error number.
        public var code: Int32
        /// What the system said.
        public var description: String { "cannot create a thread: \(String(cString: strerror(code))) (errno \(code))" }
    }

    #if canImport(Darwin)
    // pthread_t is a pointer on Darwin; it is only ever passed back to pthread_join.
    private nonisolated(unsafe) let handle: pthread_t
    #else
    private let handle: pthread_t
    #endif
    /// The kept stack the thread runs on, returned to its owner by `join`.
    private var keptStack: (stacks: ThreadStacks, stack: ThreadStacks.Stack)? = nil

    /// Starts a joinable thread named `name` (at most 15 bytes are kept) running `body`.
    ///
    /// - Parameter stackSize: the stack size in bytes; `nil` for the system default.
    public static func spawn(
        name: String,
        stackSize: Int? = nil,
        _ body: @escaping @Sendable () -> Void
    ) throws(SpawnError) -> OSThread {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        if let stackSize {
            let code = pthread_attr_setstacksize(&attributes, max(stackSize, Int(PTHREAD_STACK_MIN)))
            guard code == 0 else { throw SpawnError(code: code) }
        }
        return try spawn(name: name, attributes: &attributes, body)
    }

    /// Starts a joinable thread named `name` running `body` on a stack taken from `stacks`; `join`
    /// gives the stack back. A thread started this way must be joined, or its stack is never reused.
    public static func spawn(
        name: String,
        stacks: ThreadStacks,
        _ body: @escaping @Sendable () -> Void
    ) throws(SpawnError) -> OSThread {
        let stack = try stacks.take()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        var code = pthread_attr_setstack(&attributes, UnsafeMutableRawPointer(bitPattern: stack.base), stack.size)
        // The guard page is ours, at the stack's low end; glibc adds none to a stack it is given.
        if code == 0 {
            do throws(SpawnError) {
                var thread = try spawn(name: name, attributes: &attributes, body)
                thread.keptStack = (stacks, stack)
                return thread
            } catch {
                code = error.code
            }
        }
        stacks.giveBack(stack)
        throw SpawnError(code: code)
    }

    private static func spawn(
        name: String,
        attributes: inout pthread_attr_t,
        _ body: @escaping @Sendable () -> Void
    ) throws(SpawnError) -> OSThread {
        let context = Unmanaged.passRetained(ThreadContext(name: name, body: body)).toOpaque()
        #if canImport(Darwin)
        var handle: pthread_t?
        #else
        var handle = pthread_t()
        #endif
        let code = pthread_create(
            &handle,
            &attributes,
            { raw in
                let context = Unmanaged<ThreadContext>.fromOpaque(raw!).takeRetainedValue()
                _ = context.name.withCString { clinux_set_thread_name($0) }
                TimerSlack.minimizeForCurrentThread()
                context.body()
                return nil
            },
            context
        )
        guard code == 0 else {
            Unmanaged<ThreadContext>.fromOpaque(context).release()
            throw SpawnError(code: code)
        }
        #if canImport(Darwin)
        return OSThread(handle: handle!)
        #else
        return OSThread(handle: handle)
        #endif
    }

    /// Waits for the thread to end.
    @available(*, noasync, message: "Blocks the calling thread.")
    public func join() {
        pthread_join(handle, nil)
        if let keptStack { keptStack.stacks.giveBack(keptStack.stack) }
    }

    /// Moves the calling thread to `SCHED_BATCH`: it keeps its share of the cores, but waking up it waits
    /// for the running thread's turn to end instead of preempting it. For housekeeping beside the threads
    /// being measured.
    public static func neverPreemptOnWake() {
        _ = clinux_set_batch_scheduling()
    }

    /// Pins the calling thread to one core, the `index`-th (modulo their count) of those this process may
    /// run on; `false` where the system refuses.
    ///
    /// For threads that own a core and spin on it to their deadlines (event loops), one per core: left to
    /// the scheduler, two of them were woken on the same vCPU while the other sat idle (a halted vCPU here
    /// looks preempted, not idle, to the wake-up placement), and one spun while the other waited its turn,
    /// 100 µs late.
    @discardableResult
    public static func pinToCore(_ index: Int) -> Bool {
        clinux_pin_to_allowed_cpu(Int32(clamping: index)) == 0
    }

    /// Runs `body` on a new thread of its own and suspends (without blocking) until it returns.
    ///
    /// When the calling task is cancelled, `cancellation` is raised; `body` should poll it between units.
    public static func run<Result: Sendable>(
        name: String,
        stackSize: Int? = nil,
        _ body: @escaping @Sendable (CancellationFlag) throws -> Result
    ) async throws -> Result {
        let cancellation = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
                do {
                    let thread = try spawn(name: name, stackSize: stackSize) {
                        continuation.resume(with: Swift.Result { try body(cancellation) })
                    }
                    pthread_detach(thread.handle)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            cancellation.raise()
        }
    }
}

/// What a new thread needs, handed over through pthread's `void *` argument.
private final class ThreadContext: Sendable {
    let name: String
    let body: @Sendable () -> Void

    init(name: String, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.body = body
    }
}
