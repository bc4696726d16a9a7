/// Work a unit waits for that happens outside the unit: child processes, a blocking `poll`, a conversation
/// with a server over real sockets, increments sent to an actor, a file tailed while other threads write it.
///
/// The open kind of ``Wait``: the contract knows nothing of processes or sockets, so each such wait is a
/// type of its own, written outside it (`ChildJob` and `ReadableWait` in ConlabIO, the workloads' own),
/// taking what it needs (a child reactor, say) from the ``WaitServices`` the runner injects.
///
/// Like a modelled wait, it is performed by the strategy: blocking the unit's thread, or suspending its
/// task (and then it must never block a thread of the cooperative pool). The serial reference performs
/// it instantly, without real I/O, so the reference shows what the real run must produce. Whatever it
/// throws, but a ``UnitFailure`` or `CancellationError`, becomes a failure of the unit whose message is
/// the error's description.
public protocol ExternalWork: AnyObject, Sendable {
    /// How long the wait counts in the ideal floor and the reference's waited time. Default: zero, for
    /// work whose duration is up to the world outside.
    var duration: Duration { get }

    /// Does the work on the calling thread, blocking it in real system calls.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    func performBlocking(using services: WaitServices) throws

    /// Does the work in the calling task, suspending instead of blocking.
    func performSuspending(using services: WaitServices) async throws

    /// What the serial reference does in its place: the same effect on the unit's result, without real I/O.
    func performInstantly()
}

extension ExternalWork {
    /// Up to the world outside: zero.
    public var duration: Duration { .zero }
}

/// An ``ExternalWork`` as a value a ``Wait`` can carry: equal only to itself.
public struct ExternalJob: Sendable, Hashable {
    /// The work.
    public let work: any ExternalWork

    /// Wraps `work`.
    public init(_ work: any ExternalWork) {
        self.work = work
    }

    /// The same work object.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.work === rhs.work }

    /// The work object's identity.
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(work)) }
}
