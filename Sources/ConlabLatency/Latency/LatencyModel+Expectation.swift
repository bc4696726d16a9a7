#if canImport(Glibc)
import ConlabCore
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension LatencyModel {
    /// The longest draw the model can give: its support's upper end, capped at ``maximum``.
    ///
    /// `conlab explain` uses it to tell whether a timeout can cut a draw short; heavy and unbounded tails
    /// reach ``maximum``.
    public var largestDraw: Duration {
        if let constantDraw { return constantDraw }
        switch self {
        case .uniform(let lower, let upper): return Swift.min(Swift.max(lower, upper, .zero), Self.maximum)
        case .empirical(let samples): return Swift.min(Swift.max(samples.max() ?? .zero, .zero), Self.maximum)
        case .fixed, .normal, .exponential, .lognormal, .pareto: return Self.maximum
        }
    }

    /// The one duration every draw is, when the model always gives the same (a fixed latency, a uniform
    /// of width zero); `nil` when draws differ. A plan's waits are then known without drawing them.
    public var constantDraw: Duration? {
        let value: Duration
        switch self {
        case .fixed(let fixed): value = fixed
        case .uniform(let lower, let upper) where Swift.max(lower, .zero) == Swift.max(upper, .zero): value = lower
        case .empirical(let samples) where Set(samples.map { Swift.max($0, .zero) }).count <= 1:
            value = samples.first ?? .zero
        case .pareto(let scale, let shape) where shape <= 0: value = scale
        case .normal(let mean, let standardDeviation) where standardDeviation <= .zero: value = mean
        case .uniform, .empirical, .pareto, .normal, .exponential, .lognormal: return nil
        }
        return Swift.min(Swift.max(value, .zero), Self.maximum)
    }

    /// The mean of a draw — of ``sample(_:)`` with `u` uniform — including the cap at ``maximum``: what
    /// `conlab explain` multiplies by a plan's waits when there are too many to draw. `nil` where it has
    /// no closed form here (a normal model whose tail reaches the cap).
    ///
    /// Draws are rounded to whole nanoseconds; the mean is not, so it may differ from an average of draws
    /// by up to half a nanosecond.
    public var expectedDraw: Duration? {
        let cap = Self.maximum.inSeconds
        let seconds: Double?
        switch self {
        case .fixed(let value):
            return Swift.min(Swift.max(value, .zero), Self.maximum)
        case .uniform(let lower, let upper):
            let low = Swift.max(Swift.min(lower, upper).inSeconds, 0)
            let high = Swift.max(Swift.max(lower, upper).inSeconds, 0)
            seconds = Self.uniformMean(low: low, high: high, cap: cap)
        case .empirical(let samples):
            guard !samples.isEmpty else { return .zero }
            seconds = samples.reduce(0) { $0 + Swift.min(Swift.max($1.inSeconds, 0), cap) } / Double(samples.count)
        case .exponential(let mean):
            // E[min(X, c)] = μ (1 − e^(−c/μ)).
            let mu = Swift.max(mean.inSeconds, 0)
            seconds = mu > 0 ? mu * -expm1(-cap / mu) : 0
        case .pareto(let scale, let shape):
            guard shape > 0 else { return largestDraw }
            seconds = Self.paretoMean(scale: Swift.max(scale.inSeconds, 0), shape: shape, cap: cap)
        case .lognormal(let median, let sigma):
            seconds = Self.lognormalMean(median: Swift.max(median.inSeconds, 0), sigma: Swift.abs(sigma), cap: cap)
        case .normal(let mu, let sd):
            // The truncated normal's mean is exact while the cap lies far beyond its tail.
            guard let mean, (mu + sd * 40).inSeconds < cap else { return nil }
            seconds = mean.inSeconds
        }
        guard let seconds, seconds.isFinite, seconds >= 0 else { return nil }
        return .nanoseconds(Int64((Swift.min(seconds, cap) * 1e9).rounded()))
    }

    /// E[min(X, c)] for X uniform on [low, high].
    private static func uniformMean(low: Double, high: Double, cap: Double) -> Double {
        if cap >= high { return (low + high) / 2 }
        if cap <= low || high <= low { return Swift.min(low, cap) }
        // Below the cap the density integrates to the mean of [low, cap]; above it every draw is the cap.
        let below = (cap - low) / (high - low)
        return below * (low + cap) / 2 + (1 - below) * cap
    }

    /// E[min(X, c)] for Pareto X with P(X > x) = (s/x)^α: s + ∫ from s to c of (s/x)^α dx.
    private static func paretoMean(scale s: Double, shape alpha: Double, cap c: Double) -> Double {
        guard s > 0 else { return 0 }
        if c <= s { return c }
        if Swift.abs(alpha - 1) < 1e-12 { return s + s * log(c / s) }
        return s + s * (pow(c / s, 1 - alpha) - 1) / (1 - alpha)
    }

    /// E[min(X, c)] for ln X ~ Normal(ln m, σ): E[X; X < c] + c P(X ≥ c).
    private static func lognormalMean(median m: Double, sigma: Double, cap c: Double) -> Double {
        guard m > 0 else { return 0 }
        guard sigma > 0 else { return Swift.min(m, c) }
        let mu = log(m)
        let z = (log(c) - mu) / sigma
        let below = exp(mu + sigma * sigma / 2) * NormalDistribution.cdf(z - sigma)
        return below + c * NormalDistribution.complementaryCDF(z)
    }
}
