public import ConlabCore
public import ConlabToolkit

/// conlab's own services for a run: the ``TaskTimers`` that time suspended waits, the ``ChildReactor``
/// that runs child jobs for tasks, and the ``ReadinessReactor`` that sockets wait on. Each starts its
/// thread on first use.
///
/// Made once by whoever runs strategies (the command line, a worker process, the conformance kit, a
/// test) and handed down as ``waits``, the ``WaitServices`` of a ``StrategyContext``: as swift-nio's
/// `NIOSingletons` are opt-in, nothing in conlab reaches for a process-wide instance.
///
/// ```swift
/// let services = try StandardServices()
/// let context = StrategyContext(seed: 1, cores: 2, plan: plan, services: services.waits)
/// ```
public final class StandardServices: Sendable {
    /// The task timers.
    public let timers: TaskTimers
    /// The child reactor.
    public let children: ChildReactor
    /// The readiness reactor.
    public let readiness: ReadinessReactor
    /// The services as a strategy receives them: a ``PreciseWaitTimer`` on ``timers``, and ``timers``,
    /// ``children`` and ``readiness`` to be found by their types.
    public let waits: WaitServices

    /// New timers and reactors, their threads not yet started.
    ///
    /// - Throws: ``Doorbell/Unavailable`` when the process is out of descriptors.
    public init() throws {
        timers = try TaskTimers()
        children = try ChildReactor()
        readiness = try ReadinessReactor()
        waits = WaitServices(timer: PreciseWaitTimer(timers: timers), services: [timers, children, readiness])
    }

    /// Ends every thread of these services that sleeps with nothing to do, and waits until they have
    /// ended (about a wake-up each); the next wait, job or registration starts its thread again.
    ///
    /// Called between strategy runs, so that a run's peak threads and memory are its own: kept, the
    /// threads an earlier scenario started read as 5 more threads and 3 MB more of touched stacks in every
    /// later run of a catalog.
    public func retireIdleThreads() {
        timers.retireIdleThreads()
        children.retireIdleThread()
        readiness.retireIdleThread()
    }
}
