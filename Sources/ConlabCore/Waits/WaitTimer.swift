/// Times the modelled waits of a run: the one service the contract itself needs to perform a ``Wait``.
///
/// conlab's own (`PreciseWaitTimer` in ConlabToolkit) sleeps in `clock_nanosleep` with a spin at the end,
/// and suspends tasks on its task timers, so that a modelled millisecond lasts a millisecond.
public protocol WaitTimer: Sendable {
    /// Blocks the calling thread for `duration`; `false` when the process was interrupted first, and the
    /// wait was cut short.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    func sleepBlocking(for duration: Duration) -> Bool

    /// Suspends the calling task for `duration`; throws `CancellationError` when the task is cancelled.
    func sleep(for duration: Duration) async throws
}
