import ConlabCore
import Testing

// `@testable` reaches the internal NormalDistribution for its known-value tests.
@testable import ConlabLatency

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The fixed uniforms every distribution test draws from, so results are reproducible.
private let uniforms: [Double] = {
    let random = CounterRandom(seed: 42)
    return (0..<100_000).map { random.uniform(UInt64($0)) }
}()

/// Standard normal quantiles z_p, from scipy.stats.norm.ppf.
private let normalQuantiles: [Double: Double] = [0.5: 0, 0.9: 1.2815515655446004, 0.99: 2.3263478740408408]

private func seconds(_ duration: Duration) -> Double {
    let (whole, attoseconds) = duration.components
    return Double(whole) + Double(attoseconds) * 1e-18
}

/// The sorted samples of `model` at every uniform, in seconds.
private struct Samples {
    let sorted: [Double]

    init(_ model: LatencyModel) {
        sorted = uniforms.map { seconds(model.sample($0)) }.sorted()
    }

    var mean: Double {
        sorted.reduce(0, +) / Double(sorted.count)
    }

    func quantile(_ p: Double) -> Double {
        sorted[Int(p * Double(sorted.count))]
    }
}

private func isClose(_ actual: Double, _ expected: Double, relative tolerance: Double) -> Bool {
    abs(actual - expected) <= tolerance * abs(expected)
}

@Suite("LatencyModel")
struct LatencyModelTests {
    /// Checks the sample mean and the median, p90 and p99 against analytic values, all within 2%.
    private func checkDistribution(
        _ model: LatencyModel,
        mean expectedMean: Double,
        quantile expectedQuantile: (Double) -> Double,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        let samples = Samples(model)
        #expect(
            isClose(samples.mean, expectedMean, relative: 0.02),
            "\(model.summary): sample mean \(samples.mean) vs \(expectedMean)",
            sourceLocation: sourceLocation
        )
        if let mean = model.mean {
            #expect(
                isClose(seconds(mean), expectedMean, relative: 1e-6),
                "\(model.summary): mean property \(mean) vs \(expectedMean)",
                sourceLocation: sourceLocation
            )
        } else {
            Issue.record("\(model.summary): mean is nil", sourceLocation: sourceLocation)
        }
        for p in [0.5, 0.9, 0.99] {
            let actual = samples.quantile(p)
            let expected = expectedQuantile(p)
            #expect(
                isClose(actual, expected, relative: 0.02),
                "\(model.summary): p\(Int(p * 100)) \(actual) vs \(expected)",
                sourceLocation: sourceLocation
            )
        }
    }

    @Test("Fixed always returns its value")
    func fixed() {
        let model = LatencyModel.fixed(.milliseconds(100))
        for u in uniforms.prefix(1_000) + [0, 0.5, 1 - 1e-16] {
            #expect(model.sample(u) == .milliseconds(100))
        }
        #expect(model.mean == .milliseconds(100))
    }

    @Test("Uniform matches its mean and quantiles")
    func uniform() {
        checkDistribution(.uniform(min: .milliseconds(10), max: .milliseconds(30)), mean: 0.020) { p in
            0.010 + 0.020 * p
        }
    }

    @Test("Exponential matches its mean and quantiles")
    func exponential() {
        checkDistribution(.exponential(mean: .milliseconds(10)), mean: 0.010) { p in
            -0.010 * log(1 - p)
        }
    }

    @Test("Lognormal matches its mean and quantiles")
    func lognormal() {
        let sigma = 0.75
        checkDistribution(.lognormal(median: .milliseconds(10), sigma: sigma), mean: 0.010 * exp(sigma * sigma / 2)) {
            0.010 * exp(sigma * normalQuantiles[$0]!)
        }
    }

    @Test("Pareto matches its mean and quantiles")
    func pareto() {
        let shape = 3.0
        checkDistribution(.pareto(scale: .milliseconds(1), shape: shape), mean: 0.001 * shape / (shape - 1)) { p in
            0.001 * pow(1 - p, -1 / shape)
        }
    }

    @Test("Normal far from zero is effectively untruncated")
    func normal() {
        // Truncated mean from scipy.stats.truncnorm(-5, inf, loc=10, scale=2).mean(), in milliseconds.
        checkDistribution(.normal(mean: .milliseconds(10), standardDeviation: .milliseconds(2)), mean: 0.010_000_003) {
            0.010 + 0.002 * normalQuantiles[$0]!
        }
    }

    @Test("Aggressively truncated normal is conditioned on >= 0, not clamped")
    func truncatedNormal() {
        let mu = 0.001
        let sd = 0.002
        let a = -mu / sd
        let density = exp(-a * a / 2) / (2 * Double.pi).squareRoot()
        let survival = 0.5 * erfc(a / 2.0.squareRoot())
        let expectedMean = mu + sd * density / survival
        #expect(isClose(expectedMean, 0.002_018_320_867_674_067, relative: 1e-12))
        // Quantiles from scipy.stats.truncnorm(-0.5, inf, loc=1, scale=2).ppf(p), in milliseconds.
        let quantiles = [0.5: 1.7937423501790895e-3, 0.9: 3.9643593568818147e-3, 0.99: 5.923336629820172e-3]
        let model = LatencyModel.normal(mean: .milliseconds(1), standardDeviation: .milliseconds(2))
        checkDistribution(model, mean: expectedMean) { quantiles[$0]! }

        let samples = Samples(model)
        #expect(samples.sorted.first! >= 0)
        // Clamping would pile Phi(a) = 31% of the mass at exactly zero; conditioning leaves almost none there.
        #expect(samples.sorted.prefix { $0 == 0 }.count < 10)
        #expect(model.sample(0) == .zero)
    }

    @Test("Empirical picks each sample with frequency 1/n")
    func empirical() {
        let values: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(3), .milliseconds(5)]
        let model = LatencyModel.empirical(values)
        var counts: [Duration: Int] = [:]
        for u in uniforms {
            counts[model.sample(u), default: 0] += 1
        }
        #expect(counts.count == values.count)
        for value in values {
            let frequency = Double(counts[value, default: 0]) / Double(uniforms.count)
            #expect(abs(frequency - 0.25) < 0.01, "\(value): \(frequency)")
        }
        #expect(model.mean == .microseconds(2_750))
    }

    @Test("No model returns a negative duration, even at the extremes")
    func neverNegative() {
        let models: [LatencyModel] = [
            .fixed(.milliseconds(1)),
            .fixed(.milliseconds(-1)),
            .uniform(min: .zero, max: .milliseconds(1)),
            .normal(mean: .milliseconds(10), standardDeviation: .milliseconds(2)),
            .normal(mean: .milliseconds(1), standardDeviation: .milliseconds(2)),
            .normal(mean: .milliseconds(-5), standardDeviation: .milliseconds(1)),
            .normal(mean: .seconds(-1), standardDeviation: .milliseconds(1)),
            .normal(mean: .seconds(1), standardDeviation: .nanoseconds(1)),
            .exponential(mean: .milliseconds(10)),
            .lognormal(median: .milliseconds(10), sigma: 3),
            .pareto(scale: .milliseconds(1), shape: 0.1),
            .pareto(scale: .milliseconds(1), shape: 3),
            .empirical([.milliseconds(1), .milliseconds(2)]),
        ]
        for model in models {
            for u in [0, 1e-300, 0.5, 1 - 1e-16, 1, -1, .nan] {
                #expect(model.sample(u) >= .zero, "\(model.summary) at u = \(u)")
            }
        }
    }

    @Test("Samples are nondecreasing in u")
    func monotone() {
        let models: [LatencyModel] = [
            .uniform(min: .milliseconds(1), max: .milliseconds(3)),
            .normal(mean: .milliseconds(1), standardDeviation: .milliseconds(2)),
            .exponential(mean: .milliseconds(10)),
            .lognormal(median: .milliseconds(10), sigma: 0.5),
            .pareto(scale: .milliseconds(1), shape: 2),
        ]
        let grid = [0, 1e-300, 1e-12] + (1..<1_000).map { Double($0) / 1_000 } + [1 - 1e-12, 1 - 1e-16]
        for model in models {
            let samples = grid.map(model.sample)
            #expect(zip(samples, samples.dropFirst()).allSatisfy { $0 <= $1 }, "\(model.summary)")
        }
    }

    @Test("Mean is nil only for an infinite pareto mean")
    func means() {
        #expect(LatencyModel.pareto(scale: .milliseconds(2), shape: 0.9).mean == nil)
        #expect(LatencyModel.pareto(scale: .milliseconds(2), shape: 1).mean == nil)
        #expect(LatencyModel.pareto(scale: .milliseconds(2), shape: 3).mean == .milliseconds(3))
        #expect(LatencyModel.uniform(min: .milliseconds(1), max: .milliseconds(2)).mean == .microseconds(1_500))
        #expect(LatencyModel.exponential(mean: .milliseconds(7)).mean == .milliseconds(7))
    }

    @Test("Summaries are short and readable")
    func summaries() {
        #expect(LatencyModel.fixed(.milliseconds(100)).summary == "fixed 100ms")
        #expect(
            LatencyModel.normal(mean: .milliseconds(10), standardDeviation: .milliseconds(2)).summary
                == "normal(mean 10ms, sd 2ms)"
        )
        #expect(
            LatencyModel.uniform(min: .microseconds(1_500), max: .seconds(2)).summary == "uniform(min 1.5ms, max 2s)"
        )
        #expect(LatencyModel.exponential(mean: .microseconds(250)).summary == "exponential(mean 250us)")
        #expect(LatencyModel.fixed(.zero).summary == "fixed 0s")
        #expect(LatencyModel.fixed(.nanoseconds(1_234_567)).summary == "fixed 1.234567ms")
        #expect(LatencyModel.fixed(.milliseconds(-3)).summary == "fixed -3ms")
        #expect(
            LatencyModel.lognormal(median: .nanoseconds(40), sigma: 0.5).summary == "lognormal(median 40ns, sigma 0.5)"
        )
        #expect(LatencyModel.pareto(scale: .seconds(1.25), shape: 1.5).summary == "pareto(scale 1.25s, shape 1.5)")
        #expect(LatencyModel.empirical([.zero, .zero, .zero]).summary == "empirical(3 samples)")
    }

    @Test("Inverse normal CDF known values")
    func inverseNormalKnownValues() {
        #expect(isClose(NormalDistribution.quantile(0.975), 1.959963984540054, relative: 1e-13))
        #expect(NormalDistribution.quantile(0.5) == 0)
        #expect(isClose(NormalDistribution.quantile(1e-10), -6.361340902404056, relative: 1e-13))
        #expect(isClose(NormalDistribution.quantile(0.025), -1.959963984540054, relative: 1e-13))
        #expect(NormalDistribution.quantile(0).isFinite)
        #expect(NormalDistribution.quantile(1).isFinite)
    }

    @Test("Inverse normal CDF inverts the CDF to well within 1e-9")
    func inverseNormalRoundTrip() {
        var exponent = -300.0
        while exponent < 0 {
            let p = pow(10, exponent)
            let z = NormalDistribution.quantile(p)
            #expect(isClose(NormalDistribution.cdf(z), p, relative: 1e-12), "p = \(p)")
            #expect(isClose(NormalDistribution.complementaryCDF(-z), p, relative: 1e-12), "1 - p = \(p)")
            exponent += 0.25
        }
        for i in 1..<1_000 {
            let p = Double(i) / 1_000
            #expect(isClose(NormalDistribution.cdf(NormalDistribution.quantile(p)), p, relative: 1e-13), "p = \(p)")
        }
    }

    @Test(
        "A draw's expected value, the cap included, is the average of the model's quantiles",
        arguments: [
            LatencyModel.fixed(.milliseconds(100)),
            .uniform(min: .milliseconds(50), max: .milliseconds(150)),
            .uniform(min: .seconds(900 * 3600), max: .seconds(1100 * 3600)),
            .normal(mean: .milliseconds(10), standardDeviation: .milliseconds(4)),
            .exponential(mean: .milliseconds(20)),
            .exponential(mean: .seconds(500 * 3600)),
            .lognormal(median: .milliseconds(10), sigma: 0.5),
            .lognormal(median: .seconds(100 * 3600), sigma: 2),
            .pareto(scale: .milliseconds(1), shape: 2.5),
            .pareto(scale: .seconds(100 * 3600), shape: 1.5),
            .pareto(scale: .seconds(100 * 3600), shape: 0.5),
            .empirical([.milliseconds(1), .milliseconds(2), .milliseconds(6)]),
        ]
    )
    func expectedDraw(model: LatencyModel) throws {
        let expected = try #require(model.expectedDraw).inSeconds
        // Midpoint quadrature of the quantile function: E[sample(U)] = ∫ sample(u) du over [0, 1).
        let count = 200_000
        var total = 0.0
        for index in 0..<count { total += model.sample((Double(index) + 0.5) / Double(count)).inSeconds }
        let average = total / Double(count)
        #expect(abs(expected - average) <= average * 0.01, "expected \(expected) s, the quantiles average \(average) s")
        #expect(model.largestDraw >= model.sample(1 - 1e-9))
    }

    @Test("Only models whose every draw is alike have a constant draw")
    func constantDraw() {
        #expect(LatencyModel.fixed(.milliseconds(3)).constantDraw == .milliseconds(3))
        #expect(LatencyModel.uniform(min: .milliseconds(3), max: .milliseconds(3)).constantDraw == .milliseconds(3))
        #expect(LatencyModel.uniform(min: .milliseconds(3), max: .milliseconds(4)).constantDraw == nil)
        #expect(LatencyModel.exponential(mean: .milliseconds(3)).constantDraw == nil)
        #expect(LatencyModel.fixed(.seconds(-1)).constantDraw == .zero)
    }
}
