/// CPU-bound work of the chapter: item 53's naive `factorize` and item 64's naive `gcd`.
public enum CPUTask: Sendable, Hashable, Codable {
    /// Every divisor of the number, found by trying each candidate (item 53).
    case factorize(Int)
    /// The greatest common divisor, found by counting down from the smaller number (item 64).
    case gcd(Int, Int)

    /// The seed's result.
    public func compute() -> [Int] {
        switch self {
        case .factorize(let number):
            // for i in range(1, number + 1): if number % i == 0: yield i
            var divisors: [Int] = []
            var candidate = 1
            while candidate <= number {
                if number % candidate == 0 { divisors.append(candidate) }
                candidate += 1
            }
            return divisors
        case .gcd(let a, let b):
            var candidate = min(a, b)
            while candidate > 0 {
                if a % candidate == 0 && b % candidate == 0 { return [candidate] }
                candidate -= 1
            }
            return [1]
        }
    }

    /// `factorize(2139079)`, `gcd(1963309, 2265973)`.
    public var name: String {
        switch self {
        case .factorize(let number): "factorize(\(number))"
        case .gcd(let a, let b): "gcd(\(a), \(b))"
        }
    }
}
