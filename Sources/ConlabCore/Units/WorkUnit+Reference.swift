/// Running a unit as the serial reference does, without waiting, and stepping it.
extension WorkUnit {
    /// Runs the unit without waiting at all: the reference result, and the time it would have waited.
    public consuming func runInstantly() -> (result: Result<Output, UnitFailure>, waited: Duration) {
        var waited = Duration.zero
        let result = runInstantly { waited += $0.duration }
        return (result, waited)
    }

    /// Runs the unit without waiting, telling `record` about every wait it asks for, in order.
    public consuming func runInstantly(recording record: (Wait) -> Void) -> Result<Output, UnitFailure> {
        var unit = self
        while true {
            do {
                switch try unit.step() {
                case .finished(let output):
                    return .success(output)
                case .wait(let wait):
                    record(wait)
                    if case .external(_, let job) = wait { job.work.performInstantly() }
                    if let failure = wait.failure(at: unit.coordinates) { return .failure(failure) }
                }
            } catch {
                return .failure(error)
            }
        }
    }

    // Inlinable: the drivers in ConlabToolkit call it on every step of every unit, and so it costs them what it
    // cost when they shared its module.
    /// `advance()`, with any error it throws turned into this unit's ``UnitFailure``.
    @inlinable
    public mutating func step() throws(UnitFailure) -> UnitStep<Output> {
        do {
            return try advance()
        } catch let failure as UnitFailure {
            throw failure
        } catch {
            throw UnitFailure(coordinates: coordinates, step: nil, reason: .error(String(describing: error)))
        }
    }
}
