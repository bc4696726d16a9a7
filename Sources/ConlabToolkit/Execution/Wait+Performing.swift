public import ConlabCore

/// Performing a wait: by blocking the calling thread, or by suspending the calling task.
extension Wait {
    /// Blocks the calling thread for the wait's duration, then reports its failure.
    ///
    /// A modelled wait cut short because the process is interrupted (`services.timer` says so) throws a
    /// failure saying so: the unit did not finish, and the run is stopping. The coordinates are made only
    /// for a failure: a unit's name is text, and building it for every wait was about a percent of a
    /// five-worker pipeline's samples (perf).
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    public func performBlocking(
        at coordinates: @autoclosure () -> UnitCoordinates,
        using services: WaitServices
    ) throws(UnitFailure) {
        if case .external(let step, let job) = self {
            try Self.performExternal(step: step, at: coordinates()) { try job.work.performBlocking(using: services) }
            return
        }
        if duration > .zero, !services.timer.sleepBlocking(for: duration) {
            throw UnitFailure(coordinates: coordinates(), step: step, reason: .error("interrupted"))
        }
        if let failure = failure(at: coordinates()) { throw failure }
    }

    /// Suspends the calling task for the wait's duration, then reports its failure.
    public func performSuspending(
        at coordinates: @autoclosure () -> UnitCoordinates,
        using services: WaitServices
    ) async throws {
        // Modelled I/O, the common case, stays in this small frame: a million suspended tasks each keep
        // one, and the other kinds' locals would triple it.
        guard case .io(_, let draw) = self else {
            return try await performExternalSuspending(at: coordinates(), using: services)
        }
        if draw.duration > .zero { try await services.timer.sleep(for: draw.duration) }
        if let failure = failure(at: coordinates()) { throw failure }
    }

    /// An external wait, suspending.
    private func performExternalSuspending(
        at coordinates: @autoclosure () -> UnitCoordinates,
        using services: WaitServices
    ) async throws {
        guard case .external(let step, let job) = self else { return }
        do {
            try await job.work.performSuspending(using: services)
        } catch let error as UnitFailure {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw UnitFailure(coordinates: coordinates(), step: step, reason: .error(String(describing: error)))
        }
    }

    /// Runs `body`, reporting whatever it throws as a failure of the unit at `coordinates`.
    private static func performExternal(
        step: String,
        at coordinates: @autoclosure () -> UnitCoordinates,
        _ body: () throws -> Void
    ) throws(UnitFailure) {
        do {
            try body()
        } catch let error as UnitFailure {
            throw error
        } catch {
            throw UnitFailure(coordinates: coordinates(), step: step, reason: .error(String(describing: error)))
        }
    }
}
