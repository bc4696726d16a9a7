public import ConlabCore

extension UnitBatch {
    /// The failures a run without waits finds, in unit order: what a strategy must report (the first)
    /// or may report (any) when the batch fails.
    public var referenceFailures: [UnitFailure] {
        (0..<count).compactMap { index in
            if case .failure(let failure) = unit(at: index).runInstantly().result { return failure }
            return nil
        }
    }
}
