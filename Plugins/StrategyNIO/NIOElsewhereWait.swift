import ConlabCore
import ConlabToolkit

/// A wait an event loop cannot time (a child process, a blocking call, a socket), performed in a Swift task of
/// its own, its outcome handed back to the loop: both a phase's share and a pipeline's run wait this way.
enum NIOElsewhereWait {
    /// Starts a task that performs `wait` and calls `deliver` with `nil` when it completed or with its failure;
    /// a cancelled task (its share or run halted) delivers nothing.
    static func start(
        _ wait: Wait,
        at coordinates: UnitCoordinates,
        using services: WaitServices,
        deliver: @escaping @Sendable (UnitFailure?) -> Void
    ) -> Task<Void, Never> {
        Task {
            let failure: UnitFailure?
            do {
                try await wait.performSuspending(at: coordinates, using: services)
                failure = nil
            } catch let unitFailure as UnitFailure {
                failure = unitFailure
            } catch is CancellationError {
                return
            } catch {
                failure = UnitFailure(coordinates: coordinates, step: wait.step, reason: .error("\(error)"))
            }
            deliver(failure)
        }
    }
}
