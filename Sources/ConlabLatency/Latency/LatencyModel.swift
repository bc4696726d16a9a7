#if canImport(Glibc)
import ConlabCore
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The latency of one simulated I/O call, sampled by inverse CDF from a single uniform.
///
/// Needing exactly one uniform per draw lets a call's latency come from one `CounterRandom` coordinate, so it
/// is the same whichever strategy, thread or process performs the call.
public enum LatencyModel: Sendable, Hashable, Codable {
    /// Always the given duration.
    case fixed(Duration)
    /// Uniform between `min` and `max`.
    case uniform(min: Duration, max: Duration)
    /// Normal, truncated at 0 (conditioned on being >= 0, i.e. sample u within [Phi(-mean/sd), 1) and invert — NOT
    /// clamped).
    case normal(mean: Duration, standardDeviation: Duration)
    /// Exponential with the given mean.
    case exponential(mean: Duration)
    /// ln(X) ~ Normal(ln(median), sigma)
    case lognormal(median: Duration, sigma: Double)
    /// Pareto type I: P(X > x) = (scale / x)^shape for x >= scale.
    case pareto(scale: Duration, shape: Double)
    /// Uniform choice among the given samples (non-empty).
    case empirical([Duration])

    /// The longest latency conlab models: 1000 hours (about 41.7 days).
    ///
    /// Every draw is capped here, so heavy tails (pareto with a small shape, lognormal with a large sigma)
    /// stay waits a machine can perform and the reference computes its ideal from the same capped draws;
    /// the loader refuses a model whose durations exceed it. 1000 hours is far beyond any wait worth
    /// measuring yet leaves a deadline `now + maximum` nowhere near `Int64` nanoseconds' 292 years.
    public static let maximum = Duration.seconds(1000 * 3600)

    /// The largest uniform used, so that quantile functions with a pole at 1 stay finite.
    private static let largestUniform = 1 - 0x1p-53

    /// The latency at quantile `u` (0 <= u < 1). Never negative, never above ``maximum``.
    public func sample(_ u: Double) -> Duration {
        min(uncappedSample(u), Self.maximum)
    }

    /// The model's quantile at `u`, before the cap at ``maximum``.
    private func uncappedSample(_ u: Double) -> Duration {
        // NaN and out-of-range inputs are pinned to the support rather than trapping mid-simulation.
        let u = u.isNaN ? 0 : min(max(u, 0), Self.largestUniform)
        switch self {
        case .fixed(let value):
            return Self.nonNegative(value)
        case .uniform(let lower, let upper):
            let low = Swift.min(lower, upper).inSeconds
            let high = Swift.max(lower, upper).inSeconds
            return Self.duration(seconds: low + (high - low) * u)
        case .normal(let mean, let standardDeviation):
            let seconds = Self.truncatedNormalQuantile(mean: mean, standardDeviation: standardDeviation, u)
            return Self.duration(seconds: seconds)
        case .exponential(let mean):
            // log1p keeps small u accurate; u < 1 keeps the result finite.
            return Self.duration(seconds: -mean.inSeconds * log1p(-u))
        case .lognormal(let median, let sigma):
            // The quantile clamps u = 0 to the smallest normal Double, so the result is tiny but finite.
            return Self.duration(seconds: median.inSeconds * exp(sigma * NormalDistribution.quantile(u)))
        case .pareto(let scale, let shape):
            guard shape > 0 else {
                return Self.nonNegative(scale)
            }
            return Self.duration(seconds: scale.inSeconds * pow(1 - u, -1 / shape))
        case .empirical(let samples):
            guard !samples.isEmpty else {
                return .zero
            }
            let index = Swift.min(Int(u * Double(samples.count)), samples.count - 1)
            return Self.nonNegative(samples[index])
        }
    }

    /// The distribution's mean before the cap at ``maximum``, or nil where it is infinite (pareto with
    /// shape <= 1).
    public var mean: Duration? {
        switch self {
        case .fixed(let value):
            return Self.nonNegative(value)
        case .uniform(let lower, let upper):
            return Self.nonNegative((lower + upper) / 2)
        case .normal(let mean, let standardDeviation):
            return Self.duration(seconds: Self.truncatedNormalMean(mean: mean, standardDeviation: standardDeviation))
        case .exponential(let mean):
            return Self.nonNegative(mean)
        case .lognormal(let median, let sigma):
            return Self.duration(seconds: median.inSeconds * exp(0.5 * sigma * sigma))
        case .pareto(let scale, let shape):
            guard shape > 0 else {
                return Self.nonNegative(scale)
            }
            guard shape > 1 else {
                return nil
            }
            return Self.duration(seconds: scale.inSeconds * shape / (shape - 1))
        case .empirical(let samples):
            guard !samples.isEmpty else {
                return .zero
            }
            // Summing Durations is exact (128-bit attoseconds), unlike summing Doubles.
            let total = samples.reduce(Duration.zero) { $0 + Self.nonNegative($1) }
            return total / samples.count
        }
    }

    /// A short human description, e.g. "fixed 100ms", "normal(mean 10ms, sd 2ms)".
    public var summary: String {
        switch self {
        case .fixed(let value):
            return "fixed \(DurationFormat.short(value))"
        case .uniform(let lower, let upper):
            return "uniform(min \(DurationFormat.short(lower)), max \(DurationFormat.short(upper)))"
        case .normal(let mean, let standardDeviation):
            return "normal(mean \(DurationFormat.short(mean)), sd \(DurationFormat.short(standardDeviation)))"
        case .exponential(let mean):
            return "exponential(mean \(DurationFormat.short(mean)))"
        case .lognormal(let median, let sigma):
            return "lognormal(median \(DurationFormat.short(median)), sigma \(sigma))"
        case .pareto(let scale, let shape):
            return "pareto(scale \(DurationFormat.short(scale)), shape \(shape))"
        case .empirical(let samples):
            return "empirical(\(samples.count) \(samples.count == 1 ? "sample" : "samples"))"
        }
    }

    // MARK: Truncated normal

    /// The quantile at `u` of Normal(mean, sd) conditioned on being >= 0, in seconds.
    private static func truncatedNormalQuantile(mean: Duration, standardDeviation: Duration, _ u: Double) -> Double {
        let mu = mean.inSeconds
        let sd = standardDeviation.inSeconds
        guard sd > 0 else {
            return mu
        }
        // `a` is the truncation point in standard units; the conditional CDF maps u to Phi(a) + u * (1 - Phi(a)).
        let a = -mu / sd
        let z: Double
        if a > 37 {
            // 1 - Phi(a) underflows here; beyond a the tail is exponential with rate a to within O(1/a^2).
            z = a - log1p(-u) / a
        } else {
            let lowerProbability = NormalDistribution.cdf(a) + u * NormalDistribution.complementaryCDF(a)
            if lowerProbability < 0.5 {
                z = NormalDistribution.quantile(lowerProbability)
            } else {
                // Invert through the upper tail so that neither 1 - Phi(a) nor 1 - u is lost to rounding.
                z = -NormalDistribution.quantile((1 - u) * NormalDistribution.complementaryCDF(a))
            }
        }
        // The quantile's finite clamp can land just below the truncation point; a is the support's edge.
        return mu + sd * max(z, a)
    }

    /// The mean of Normal(mean, sd) conditioned on being >= 0, in seconds: mu + sd * phi(a) / (1 - Phi(a)).
    private static func truncatedNormalMean(mean: Duration, standardDeviation: Duration) -> Double {
        let mu = mean.inSeconds
        let sd = standardDeviation.inSeconds
        guard sd > 0 else {
            return mu
        }
        let a = -mu / sd
        if a > 37 {
            // The inverse Mills ratio's asymptotic series, since both phi(a) and 1 - Phi(a) underflow.
            return mu + sd * (a + 1 / a - 2 / (a * a * a))
        }
        return mu + sd * NormalDistribution.density(a) / NormalDistribution.complementaryCDF(a)
    }

    // MARK: Duration conversion

    /// `seconds` rounded to whole nanoseconds, with negatives and NaN as zero and anything beyond
    /// ``maximum`` (infinity included) as ``maximum``.
    private static func duration(seconds: Double) -> Duration {
        let nanoseconds = (seconds * 1e9).rounded()
        guard nanoseconds > 0 else {
            return .zero
        }
        guard nanoseconds < Double(maximum.wholeNanoseconds) else {
            return maximum
        }
        return .nanoseconds(Int64(nanoseconds))
    }

    private static func nonNegative(_ duration: Duration) -> Duration {
        max(duration, .zero)
    }
}
