/// Performing a wait: by blocking the calling thread, or by suspending the calling task.
extension Wait {
    /// Blocks the calling thread for the wait's duration in a real syscall, then reports its failure.
    ///
    /// A modelled wait or a poll cut short because the process is interrupted (``WaitInterruption``)
    /// throws a failure saying so: the unit did not finish, and the run is stopping.
    @available(*, noasync, message: "Blocks the calling thread; run it on a thread of your own.")
    public func performBlocking(at coordinates: UnitCoordinates) throws(UnitFailure) {
        if case .readable(let step, let descriptor, let timeout) = self {
            let readable = ReadinessWait.poll(descriptor, timeout: timeout, interruptible: true)
            if !readable && WaitInterruption.isRaised { throw Self.interrupted(step: step, at: coordinates) }
            return
        }
        if case .children(let step, let job) = self {
            do {
                try job.run()
            } catch {
                throw UnitFailure(coordinates: coordinates, step: step, reason: .error(error.description))
            }
            return
        }
        if case .external(let step, let job) = self {
            try Self.performExternal(step: step, at: coordinates) { try job.work.performBlocking() }
            return
        }
        if duration > .zero, !BlockingSleep.sleepPrecisely(until: .after(duration)) {
            throw Self.interrupted(step: step, at: coordinates)
        }
        if let failure = failure(at: coordinates) { throw failure }
    }

    /// The failure of a wait cut short by an interrupt.
    private static func interrupted(step: String, at coordinates: UnitCoordinates) -> UnitFailure {
        UnitFailure(coordinates: coordinates, step: step, reason: .error("interrupted"))
    }

    /// Suspends the calling task for the wait's duration, then reports its failure.
    public func performSuspending(at coordinates: UnitCoordinates) async throws {
        // Modelled I/O, the common case, stays in this small frame: a million suspended tasks each keep
        // one, and the other kinds' locals would triple it.
        guard case .io(_, let draw) = self else { return try await performOtherSuspending(at: coordinates) }
        if draw.duration > .zero { try await TaskTimer.current.sleep(until: .after(draw.duration)) }
        if let failure = failure(at: coordinates) { throw failure }
    }

    /// Every wait but modelled I/O, suspending.
    private func performOtherSuspending(at coordinates: UnitCoordinates) async throws {
        if case .children(let step, let job) = self {
            // One reactor thread waits for every job's children: no thread per job, no pool thread blocked.
            do {
                _ = try await ChildReactor.shared.run(job)
            } catch let error as ChildProcess.SpawnError {
                throw UnitFailure(coordinates: coordinates, step: step, reason: .error(error.description))
            }
            return
        }
        if case .readable(_, let descriptor, let timeout) = self {
            // A blocking system call has no suspending form: it runs on a thread of its own, never on
            // a thread of the cooperative pool.
            _ = try await OSThread.run(name: "conlab-syscall", stackSize: 64 * 1024) { _ in
                ReadinessWait.poll(descriptor, timeout: timeout)
            }
            return
        }
        if case .external(let step, let job) = self {
            do {
                try await job.work.performSuspending()
            } catch let error as UnitFailure {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                throw UnitFailure(coordinates: coordinates, step: step, reason: .error(String(describing: error)))
            }
        }
    }

    /// Runs `body`, reporting whatever it throws as a failure of the unit at `coordinates`.
    private static func performExternal(
        step: String,
        at coordinates: UnitCoordinates,
        _ body: () throws -> Void
    ) throws(UnitFailure) {
        do {
            try body()
        } catch let error as UnitFailure {
            throw error
        } catch {
            throw UnitFailure(coordinates: coordinates, step: step, reason: .error(String(describing: error)))
        }
    }
}
