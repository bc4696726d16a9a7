public import ConlabCore
import ConlabToolkit

/// The services conlab's runs use.
extension WaitServices {
    /// conlab's own: the ``PreciseWaitTimer``, and the process's ``ChildReactor`` for child jobs.
    ///
    /// Built by the runner (and the worker host, and tests) and passed down, as swift-nio's
    /// `NIOSingletons` are opt-in: the contract never reaches for them itself.
    public static func standard() -> WaitServices {
        WaitServices(timer: PreciseWaitTimer(), services: [ChildReactor.shared])
    }
}
