#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The standard normal distribution's density, CDF and quantile, for sampling latencies by inverse CDF.
enum NormalDistribution {
    /// The smallest probability `quantile` resolves; keeps the lower-tail pole finite (about -37.5).
    static let smallestProbability = Double.leastNormalMagnitude
    /// The largest probability `quantile` resolves; 1 - 2^-53 is the largest Double below 1 (about +8.2).
    static let largestProbability = 1 - 0x1p-53

    private static let inverseSqrt2 = 0.70710678118654752440
    private static let inverseSqrt2Pi = 0.39894228040143267794
    private static let sqrt2Pi = 2.50662827463100050242

    /// The density phi(x).
    static func density(_ x: Double) -> Double {
        inverseSqrt2Pi * exp(-0.5 * x * x)
    }

    /// Phi(x) = P(Z <= x), via `erfc` so that the lower tail keeps full relative precision.
    static func cdf(_ x: Double) -> Double {
        0.5 * erfc(-x * inverseSqrt2)
    }

    /// 1 - Phi(x) = P(Z > x), computed directly so that the upper tail keeps full relative precision.
    static func complementaryCDF(_ x: Double) -> Double {
        0.5 * erfc(x * inverseSqrt2)
    }

    /// Phi^-1(p), with p clamped to [`smallestProbability`, `largestProbability`] so the result is finite.
    ///
    /// Acklam's rational approximation (relative error about 1.15e-9) followed by one Halley step against
    /// `erfc`, which brings the result to within a few ulps.
    static func quantile(_ probability: Double) -> Double {
        let p = probability.isNaN ? 0.5 : min(max(probability, smallestProbability), largestProbability)
        if p > 0.5 {
            // 1 - p is exact here (Sterbenz), and refining in the lower tail avoids erfc's cancellation near 1.
            return -lowerQuantile(1 - p)
        }
        return lowerQuantile(p)
    }

    /// Phi^-1(p) for 0 < p <= 0.5.
    private static func lowerQuantile(_ p: Double) -> Double {
        if p == 0.5 {
            return 0
        }
        var x = acklam(p)
        let error = cdf(x) - p
        // Halley's step; e^(x^2/2) stays finite because x >= -37.6 for any normal p.
        let u = error * sqrt2Pi * exp(0.5 * x * x)
        x -= u / (1 + 0.5 * x * u)
        return x
    }

    /// Acklam's approximation for 0 < p <= 0.5.
    private static func acklam(_ p: Double) -> Double {
        let lowBreak = 0.024_25
        if p < lowBreak {
            let q = (-2 * log(p)).squareRoot()
            let numerator = ((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6
            let denominator = (((d1 * q + d2) * q + d3) * q + d4) * q + 1
            return numerator / denominator
        }
        let q = p - 0.5
        let r = q * q
        let numerator = (((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q
        let denominator = ((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1
        return numerator / denominator
    }

    private static let a1 = -3.969683028665376e+01
    private static let a2 = 2.209460984245205e+02
    private static let a3 = -2.759285104469687e+02
    private static let a4 = 1.383577518672690e+02
    private static let a5 = -3.066479806614716e+01
    private static let a6 = 2.506628277459239e+00

    private static let b1 = -5.447609879822406e+01
    private static let b2 = 1.615858368580409e+02
    private static let b3 = -1.556989798598866e+02
    private static let b4 = 6.680131188771972e+01
    private static let b5 = -1.328068155288572e+01

    private static let c1 = -7.784894002430293e-03
    private static let c2 = -3.223964580411365e-01
    private static let c3 = -2.400758277161838e+00
    private static let c4 = -2.549732539343734e+00
    private static let c5 = 4.374664141464968e+00
    private static let c6 = 2.938163982698783e+00

    private static let d1 = 7.784695709041462e-03
    private static let d2 = 3.224671290700398e-01
    private static let d3 = 2.445134137142996e+00
    private static let d4 = 3.754408661907416e+00
}
