/// Reads durations as scenario files write them: a decimal number and a unit, `100ms`, `2s`, `250us`.
public enum DurationSyntax {
    /// The units accepted, with their size in nanoseconds.
    public static let units: [(suffix: String, nanoseconds: Int64)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// What a valid duration looks like, for error messages.
    public static let expectedForm = "a duration: " + unitsForm
    /// The form without the article, for messages that qualify it ("a positive duration: ...").
    public static let unitsForm = "a number and a unit (ns, us, ms, s, m, h), e.g. 100ms, 2s, 250us"

    /// The duration `text` spells, or `nil` when it is not a duration. Negative durations are rejected.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.trimmingSpaces()
        // The longest matching suffix wins, so "ms" is not read as "m" + "s".
        guard
            let unit = units.filter({ trimmed.hasSuffix($0.suffix) }).max(by: { $0.suffix.count < $1.suffix.count })
        else { return nil }
        let number = trimmed.dropLast(unit.suffix.count).trimmingSpaces()
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            number.filter({ $0 == "." }).count <= 1, number.first != ".", number.last != "."
        else { return nil }
        let parts = number.split(separator: ".", omittingEmptySubsequences: false)
        guard let whole = Int64(parts[0]) else { return nil }
        var nanoseconds = whole.multipliedReportingOverflow(by: unit.nanoseconds)
        guard !nanoseconds.overflow else { return nil }
        if parts.count == 2 {
            // Exact decimal arithmetic on the fraction, so 1.5ms is exactly 1,500,000 ns.
            var scale = unit.nanoseconds
            for digit in parts[1] {
                scale /= 10
                guard scale > 0 || digit == "0" else { return nil }
                let sum = nanoseconds.partialValue.addingReportingOverflow(Int64(digit.wholeNumberValue!) * scale)
                guard !sum.overflow else { return nil }
                nanoseconds.partialValue = sum.partialValue
            }
        }
        return .nanoseconds(nanoseconds.partialValue)
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}
