package protocol

import "math"

// The standard normal quantile as conlab computes it (NormalDistribution.swift): Acklam's rational
// approximation, then one Halley step against erfc.
const (
	sqrt2Pi       = 2.50662827463100050242
	inverseSqrt2  = 0.70710678118654752440
	smallestAbove = 2.2250738585072014e-308
)

var (
	acklamA = [6]float64{-3.969683028665376e01, 2.209460984245205e02, -2.759285104469687e02,
		1.383577518672690e02, -3.066479806614716e01, 2.506628277459239e00}
	acklamB = [5]float64{-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02,
		6.680131188771972e01, -1.328068155288572e01}
	acklamC = [6]float64{-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e00,
		-2.549732539343734e00, 4.374664141464968e00, 2.938163982698783e00}
	acklamD = [4]float64{7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00,
		3.754408661907416e00}
)

func cdf(x float64) float64 { return 0.5 * erfc(-x*inverseSqrt2) }

func complementaryCDF(x float64) float64 { return 0.5 * erfc(x*inverseSqrt2) }

func acklam(p float64) float64 {
	if p < 0.02425 {
		c, d := acklamC, acklamD
		q := math.Sqrt(-2 * logarithm(p))
		return (((((c[0]*q+c[1])*q+c[2])*q+c[3])*q+c[4])*q + c[5]) /
			((((d[0]*q+d[1])*q+d[2])*q+d[3])*q + 1)
	}
	a, b := acklamA, acklamB
	q := p - 0.5
	r := q * q
	return (((((a[0]*r+a[1])*r+a[2])*r+a[3])*r+a[4])*r + a[5]) * q /
		(((((b[0]*r+b[1])*r+b[2])*r+b[3])*r+b[4])*r + 1)
}

func lowerQuantile(p float64) float64 {
	if p == 0.5 {
		return 0
	}
	x := acklam(p)
	u := (cdf(x) - p) * sqrt2Pi * exponential(0.5*x*x)
	return x - u/(1+0.5*x*u)
}

// NormalQuantile is the standard normal quantile at probability, clamped to a finite result.
func NormalQuantile(probability float64) float64 {
	p := 0.5
	if probability == probability {
		p = math.Min(math.Max(probability, smallestAbove), largestUniform)
	}
	if p > 0.5 {
		return -lowerQuantile(1 - p)
	}
	return lowerQuantile(p)
}

// truncatedNormalSeconds is the quantile at u of Normal(mean, sd) conditioned on being >= 0, in seconds.
func truncatedNormalSeconds(meanNanoseconds, sdNanoseconds int64, u float64) float64 {
	mu, sd := seconds(meanNanoseconds), seconds(sdNanoseconds)
	if sd <= 0 {
		return mu
	}
	a := -mu / sd
	var z float64
	if a > 37 {
		z = a - logarithm1p(-u)/a
	} else if lower := cdf(a) + u*complementaryCDF(a); lower < 0.5 {
		z = NormalQuantile(lower)
	} else {
		z = -NormalQuantile((1 - u) * complementaryCDF(a))
	}
	return mu + sd*math.Max(z, a)
}
