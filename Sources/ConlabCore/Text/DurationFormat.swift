/// Formats durations the way scenario files write them.
public enum DurationFormat {
    /// The shortest exact form in the scenario syntax: `100ms`, `2s`, `250us`, `1.5ms`, `37ns`, `0s`.
    public static func short(_ duration: Duration) -> String {
        let (whole, attoseconds) = duration.components
        // 128 bits so that neither the attosecond total nor the nanosecond count can overflow.
        let nanoseconds = (Int128(whole) * 1_000_000_000_000_000_000 + Int128(attoseconds)) / 1_000_000_000
        guard nanoseconds != 0 else {
            return "0s"
        }
        let magnitude = nanoseconds.magnitude
        let units: [(name: String, size: UInt128)] = [("s", 1_000_000_000), ("ms", 1_000_000), ("us", 1_000)]
        let unit = units.first { magnitude >= $0.size } ?? (name: "ns", size: 1)
        var text = (nanoseconds < 0 ? "-" : "") + String(magnitude / unit.size)
        let fraction = magnitude % unit.size
        if fraction != 0 {
            // Left-pad to the unit's width, then drop trailing zeros: 1_500_000 ns is "1.5ms", not "1.500000ms".
            var digits = String(fraction)
            digits = String(repeating: "0", count: String(unit.size).count - 1 - digits.count) + digits
            while digits.hasSuffix("0") {
                digits.removeLast()
            }
            text += "." + digits
        }
        return text + unit.name
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
