import ConlabCore
import ConlabLatency
import Testing

@Suite("CounterRandom")
struct CounterRandomTests {
    @Test("Same seed and counters give the same value on independent instances")
    func deterministic() {
        let first = CounterRandom(seed: 0x1234_5678_9abc_def0)
        let second = CounterRandom(seed: 0x1234_5678_9abc_def0)
        for i: UInt64 in 0..<1_000 {
            #expect(first.bits(i, i &* 3, 7, .max - i) == second.bits(i, i &* 3, 7, .max - i))
            #expect(first.uniform(i, 1) == second.uniform(i, 1))
        }
        #expect(first == second)
        #expect(first.bits(5) == first.bits(5, 0, 0, 0))
    }

    @Test("Different seeds and permuted counters give different values")
    func sensitiveToSeedAndOrder() {
        let random = CounterRandom(seed: 42)
        let other = CounterRandom(seed: 43)
        for a: UInt64 in 0..<40 {
            #expect(random.bits(a) != other.bits(a))
            for b: UInt64 in 0..<40 where a != b {
                #expect(random.bits(a, b) != random.bits(b, a))
                #expect(random.bits(a, b, 0, 0) != random.bits(0, 0, a, b))
                #expect(random.bits(0, a, b) != random.bits(0, b, a))
                #expect(random.bits(0, 0, a, b) != random.bits(0, 0, b, a))
            }
        }
        #expect(CounterRandom(seed: 0).bits(0) != 0)
    }

    @Test("No collisions over a grid of small counters")
    func noSmallCounterCollisions() {
        let random = CounterRandom(seed: 7)
        var seen = Set<UInt64>()
        for a: UInt64 in 0..<16 {
            for b: UInt64 in 0..<16 {
                for c: UInt64 in 0..<16 {
                    for d: UInt64 in 0..<16 {
                        seen.insert(random.bits(a, b, c, d))
                    }
                }
            }
        }
        #expect(seen.count == 16 * 16 * 16 * 16)
    }

    @Test("Uniform over consecutive counters has the right mean, variance and deciles")
    func uniformMoments() {
        let random = CounterRandom(seed: 2_024)
        let count = 200_000
        var sum = 0.0
        var sumOfSquares = 0.0
        var deciles = [Int](repeating: 0, count: 10)
        for i in 0..<count {
            let u = random.uniform(UInt64(i))
            #expect(u >= 0 && u < 1)
            sum += u
            sumOfSquares += u * u
            deciles[Int(u * 10)] += 1
        }
        let mean = sum / Double(count)
        let variance = sumOfSquares / Double(count) - mean * mean
        #expect(abs(mean - 0.5) < 0.005)
        #expect(abs(variance - 1.0 / 12.0) < 0.002)
        for (decile, hits) in deciles.enumerated() {
            #expect(abs(Double(hits) / Double(count) - 0.1) < 0.005, "decile \(decile)")
        }
    }

    @Test("Every bit is set half the time, along each counter word")
    func bitBalance() {
        let random = CounterRandom(seed: 99)
        let count = 100_000
        for word in 0..<4 {
            var ones = [Int](repeating: 0, count: 64)
            for i in 0..<count {
                var counters: [UInt64] = [0, 0, 0, 0]
                counters[word] = UInt64(i)
                var value = random.bits(counters[0], counters[1], counters[2], counters[3])
                var bit = 0
                while value != 0 {
                    ones[bit] += Int(value & 1)
                    value >>= 1
                    bit += 1
                }
            }
            for bit in 0..<64 {
                #expect(abs(Double(ones[bit]) / Double(count) - 0.5) < 0.01, "word \(word), bit \(bit)")
            }
        }
    }

    @Test("Adjacent counters are uncorrelated and differ in about half their bits")
    func adjacentCountersIndependent() {
        let random = CounterRandom(seed: 1)
        let count = 200_000
        var previous = random.uniform(0)
        var sumX = 0.0
        var sumY = 0.0
        var sumXX = 0.0
        var sumYY = 0.0
        var sumXY = 0.0
        var flippedBits = 0
        for i in 1...count {
            let current = random.uniform(UInt64(i))
            sumX += previous
            sumY += current
            sumXX += previous * previous
            sumYY += current * current
            sumXY += previous * current
            flippedBits += (random.bits(UInt64(i - 1)) ^ random.bits(UInt64(i))).nonzeroBitCount
            previous = current
        }
        let n = Double(count)
        let covariance = sumXY / n - (sumX / n) * (sumY / n)
        let varianceX = sumXX / n - (sumX / n) * (sumX / n)
        let varianceY = sumYY / n - (sumY / n) * (sumY / n)
        let correlation = covariance / (varianceX * varianceY).squareRoot()
        #expect(abs(correlation) < 0.01)
        // Counters one apart should look like independent draws: 32 differing bits on average.
        #expect(abs(Double(flippedBits) / n - 32) < 0.1)
    }

    @Test("Codable and Hashable round trip through the seed")
    func valueSemantics() {
        #expect(CounterRandom(seed: 3).seed == 3)
        #expect(CounterRandom(seed: 3) != CounterRandom(seed: 4))
        #expect(Set([CounterRandom(seed: 3), CounterRandom(seed: 3)]).count == 1)
    }
}
