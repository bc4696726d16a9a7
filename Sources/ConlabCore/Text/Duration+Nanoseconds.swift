extension Duration {
    /// The duration in whole nanoseconds, saturating far beyond any wait conlab models.
    public var wholeNanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds.multipliedReportingOverflow(by: 1_000_000_000).overflow
            ? (seconds < 0 ? .min : .max) : seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
    }
}
