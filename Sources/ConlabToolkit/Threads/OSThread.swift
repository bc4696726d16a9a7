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
    /// For a thread on a kept stack: the stack, returned to its owner by `join`, and what the thread was
    /// handed, released by `join` so that the thread itself frees nothing (see ``spawn(name:stacks:_:)``).
    private var kept: (stacks: ThreadStacks, stack: ThreadStacks.Stack, context: Unmanaged<ThreadContext>)? = nil

    /// Starts a joinable thread named `name` (at most 15 bytes are kept) running `body`.
    ///
    /// The thread inherits its creator's timer slack, which is made 1 ns first (``TimerSlack``; once per
    /// creating thread), and signal mask.
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

    /// Starts a joinable thread running `body` on a stack taken from `stacks`; `join` gives the stack back.
    /// A thread started this way must be joined, or its stack is never reused.
    ///
    /// For threads that live for one short task, thousands at a time: the thread keeps its creator's name
    /// (`nil`) or takes `name`, and makes no system call and no allocation of its own beyond what `body`
    /// does. What it is handed is released by `join`, on the joining thread: a free in the new thread
    /// would give it a malloc cache to set up and tear down.
    public static func spawn(
        name: String? = nil,
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
            let context = Unmanaged.passRetained(ThreadContext(name: name, releasedByJoin: true, body: body))
            do throws(SpawnError) {
                var thread = try spawn(context, attributes: &attributes)
                thread.kept = (stacks, stack, context)
                return thread
            } catch {
                context.release()
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
        let context = Unmanaged.passRetained(ThreadContext(name: name, releasedByJoin: false, body: body))
        do throws(SpawnError) {
            return try spawn(context, attributes: &attributes)
        } catch {
            context.release()
            throw error
        }
    }

    /// Starts the thread; the caller releases `context` when this throws.
    private static func spawn(
        _ context: Unmanaged<ThreadContext>,
        attributes: inout pthread_attr_t
    ) throws(SpawnError) -> OSThread {
        // Prepared here, once per creating thread, the signal that interrupts waits is let in by every
        // thread it starts, which inherits the mask: a system call saved in each. So is the timer slack of
        // 1 ns, for a creator that did not inherit it (a thread of a process that is not conlab's command
        // line, such as a test runner's pool).
        context.takeUnretainedValue().inheritsWakeSignal = WaitInterruption.prepareCurrentThread()
        context.takeUnretainedValue().inheritsMinimumSlack = TimerSlack.minimizeForCurrentThread()
        #if canImport(Darwin)
        var handle: pthread_t?
        #else
        var handle = pthread_t()
        #endif
        let code = pthread_create(
            &handle,
            &attributes,
            { raw in
                let unmanaged = Unmanaged<ThreadContext>.fromOpaque(raw!)
                let context = unmanaged.takeUnretainedValue()
                if let name = context.name { _ = name.withCString { clinux_set_thread_name($0) } }
                if context.inheritsWakeSignal { WaitInterruption.inheritPreparation() }
                if context.inheritsMinimumSlack { TimerSlack.inheritMinimum() }
                context.body()
                if !context.releasedByJoin { unmanaged.release() }
                return nil
            },
            context.toOpaque()
        )
        guard code == 0 else { throw SpawnError(code: code) }
        #if canImport(Darwin)
        return OSThread(handle: handle!)
        #else
        return OSThread(handle: handle)
        #endif
    }

    /// Waits for the thread to end; call it once per thread.
    @available(*, noasync, message: "Blocks the calling thread.")
    public func join() {
        pthread_join(handle, nil)
        if let kept {
            kept.stacks.giveBack(kept.stack)
            kept.context.release()
        }
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
private final class ThreadContext: @unchecked Sendable {
    // @unchecked: the two `inherits` flags are set before pthread_create, which orders them before the thread
    // reads them.
    /// The name to give the thread; `nil` keeps its creator's.
    let name: String?
    /// Whether `join` releases the context rather than the thread.
    let releasedByJoin: Bool
    let body: @Sendable () -> Void
    /// Whether the creator had let in ``WaitInterruption/wakeSignal`` when it started the thread.
    var inheritsWakeSignal = false
    /// Whether the creator's timer slack was 1 ns when it started the thread.
    var inheritsMinimumSlack = false

    init(name: String?, releasedByJoin: Bool, body: @escaping @Sendable () -> Void) {
        self.name = name
        self.releasedByJoin = releasedByJoin
        self.body = body
    }
}
