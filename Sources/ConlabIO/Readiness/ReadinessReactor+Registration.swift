extension ReadinessReactor {
    /// A descriptor registered with the reactor (``ReadinessReactor/register(_:)``), and the only way to wait
    /// on it.
    ///
    /// One owner at a time, and one waiting task at a time. The owner calls ``cancel()`` before it closes
    /// the descriptor; a registration made later for the same number replaces a forgotten one anyway.
    public struct Registration: Sendable {
        private let reactor: ReadinessReactor
        /// The registered descriptor.
        public let descriptor: Int32
        private let generation: UInt32

        init(reactor: ReadinessReactor, descriptor: Int32, generation: UInt32) {
            self.reactor = reactor
            self.descriptor = descriptor
            self.generation = generation
        }

        /// Suspends until the descriptor is ready for `interest`, or returns at once if it became ready since
        /// the last wait; `false` when `deadline` passes first or the task is cancelled.
        ///
        /// Readiness is an edge: wait only after a call found the descriptor not ready (`EAGAIN`, or a read
        /// shorter than asked), and expect to find it not ready again now and then.
        public func wait(_ interest: Interest, until deadline: ContinuousClock.Instant) async -> Bool {
            await reactor.wait(for: descriptor, generation: generation, interest, until: deadline)
        }

        /// Ends the registration; a task still waiting is woken with `false`. Call it before closing the
        /// descriptor.
        public func cancel() {
            reactor.cancel(descriptor, generation: generation)
        }
    }
}
