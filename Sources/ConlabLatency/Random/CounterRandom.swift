/// A counter-based random source: each value is a pure function of the seed and up to four counter words.
///
/// There is no mutable state, so any thread, task or process that asks for the same coordinates gets the same
/// value, and strategies can be compared draw for draw regardless of how they schedule work.
public struct CounterRandom: Sendable, Hashable, Codable {
    /// The seed that, together with the counters, determines every value.
    public let seed: UInt64

    /// Creates a source for `seed`.
    public init(seed: UInt64) {
        self.seed = seed
    }

    /// 64 random bits for the counter coordinates `(c0, c1, c2, c3)`.
    public func bits(_ c0: UInt64, _ c1: UInt64 = 0, _ c2: UInt64 = 0, _ c3: UInt64 = 0) -> UInt64 {
        // Each word is absorbed as a SplitMix64 step (state + word * odd gamma, then the finalizer), so
        // consecutive counters behave like consecutive SplitMix64 outputs. A distinct gamma per position and
        // a full mix between words make the result depend on word order: (a, b) and (b, a) differ.
        var state = Self.mix(seed ^ 0x6a09_e667_f3bc_c909)
        state = Self.mix(state &+ c0 &* 0x9e37_79b9_7f4a_7c15)
        state = Self.mix(state &+ c1 &* 0xd1b5_4a32_d192_ed03)
        state = Self.mix(state &+ c2 &* 0xaef1_7502_108e_f2d9)
        state = Self.mix(state &+ c3 &* 0xf135_7aea_2e62_a9c5)
        return state
    }

    /// Uniform in [0, 1) with 53 bits of precision.
    public func uniform(_ c0: UInt64, _ c1: UInt64 = 0, _ c2: UInt64 = 0, _ c3: UInt64 = 0) -> Double {
        // The top 53 bits fill a Double's significand exactly, so every value is a multiple of 2^-53 below 1.
        Double(bits(c0, c1, c2, c3) >> 11) * 0x1p-53
    }

    /// The SplitMix64 finalizer (Stafford's Mix13): a bijection with full avalanche.
    @inline(__always)
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
