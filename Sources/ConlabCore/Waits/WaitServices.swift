/// What performing waits needs from outside the contract: the ``WaitTimer`` of modelled waits, and the
/// services (a child reactor, say) that ``ExternalWork`` looks up by type.
///
/// The runner builds one and hands it to the strategy in its ``StrategyContext``; a strategy passes it to
/// the drivers (`runSuspending(using:reportingTo:)`, `performBlocking(at:using:)`, in ConlabToolkit).
/// Nothing in the contract reaches for a process-wide instance of its own, as swift-log's libraries take their logger
/// from the caller. A class, so that each of a million suspended units keeps one reference, not a copy.
///
/// ```swift
/// let services = WaitServices(timer: PreciseWaitTimer(timers: timers), services: [timers, children])
/// let reactor = services.service(ChildReactor.self)  // what a child job's wait does
/// ```
public final class WaitServices: Sendable {
    /// Times modelled waits.
    public let timer: any WaitTimer
    /// The other services, by their dynamic type.
    private let services: [ObjectIdentifier: any Sendable]

    /// Creates the services of a run: `timer`, and `services` to be found by their types (the last of a
    /// type wins).
    public init(timer: any WaitTimer, services: [any Sendable] = []) {
        self.timer = timer
        var byType: [ObjectIdentifier: any Sendable] = [:]
        for service in services { byType[ObjectIdentifier(type(of: service))] = service }
        self.services = byType
    }

    /// The service of type `type`, or `nil` when the run provides none.
    public func service<Service: Sendable>(_ type: Service.Type) -> Service? {
        services[ObjectIdentifier(type)] as? Service
    }

    /// The service of type `type`; throws ``Missing`` when the run provides none.
    public func require<Service: Sendable>(_ type: Service.Type) throws(Missing) -> Service {
        guard let service = service(type) else { throw Missing(name: String(describing: type)) }
        return service
    }

    /// A wait needed a service the run did not provide: a mistake in how the services were built.
    public struct Missing: Error, CustomStringConvertible {
        /// The type of the missing service.
        public let name: String
        /// `no ChildReactor among the wait services`.
        public var description: String { "no \(name) among the wait services" }
    }
}
