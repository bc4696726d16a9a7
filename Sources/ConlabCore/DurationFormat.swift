/// Formats durations the way scenario files write them.
public enum DurationFormat {
    /// The shortest exact form in the scenario syntax: `100ms`, `2s`, `250us`, `1.5ms`, `37ns`.
    public static func short(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanoseconds == 0 { return "0s" }
        for (unit, size) in [("s", Int64(1_000_000_000)), ("ms", 1_000_000), ("us", 1_000)]
        where abs(nanoseconds) >= size {
            let whole = nanoseconds / size
            let fraction = abs(nanoseconds % size)
            if fraction == 0 { return "\(whole)\(unit)" }
            var digits = String(fraction)
            digits = String(repeating: "0", count: String(size).count - 1 - digits.count) + digits
            while digits.hasSuffix("0") { digits.removeLast() }
            return "\(whole).\(digits)\(unit)"
        }
        return "\(nanoseconds)ns"
    }

    /// Seconds for people: `18.02 s`, `0.101 s`, `950 µs`, with four significant digits.
    public static func human(_ seconds: Double) -> String {
        let magnitude = abs(seconds)
        if magnitude >= 100 { return fixed(seconds, 1) + " s" }
        if magnitude >= 10 { return fixed(seconds, 2) + " s" }
        if magnitude >= 0.1 { return fixed(seconds, 3) + " s" }
        if magnitude >= 0.001 { return fixed(seconds * 1e3, magnitude >= 0.01 ? 2 : 3) + " ms" }
        return fixed(seconds * 1e6, 1) + " µs"
    }

    /// `value` with `places` decimals, rounded half away from zero.
    public static func fixed(_ value: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        var digits = String(Int64(scaled))
        if places > 0 {
            if digits.count <= places { digits = String(repeating: "0", count: places - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -places))
        }
        return (value < 0 && scaled != 0 ? "-" : "") + digits
    }
}
