extension Array where Element == Double {
    /// The value at `fraction` (0.5 for the median) of these values, which must be sorted; 0 when empty.
    func percentile(_ fraction: Double) -> Double {
        isEmpty ? 0 : self[Swift.min(count - 1, Int(Double(count) * fraction))]
    }
}
