// Package protocol speaks conlab's strategy protocol, version 1 (docs/strategy-protocol.md), for strategies
// written in Go, with the standard library only.
//
// The waits are drawn here exactly as conlab draws them: its counter-based generator and latency models,
// ported bit for bit, so that a unit waits the same in Go as in any of conlab's own strategies.
package protocol

import "math"

// MaximumNanoseconds is conlab's cap on any latency: 1000 hours.
const MaximumNanoseconds int64 = 1000 * 3600 * 1_000_000_000

// largestUniform keeps quantile functions with a pole at 1 finite: 1 - 2^-53.
const largestUniform = 1 - 1.0/(1<<53)

// mix is SplitMix64's finalizer (Stafford's Mix13).
func mix(value uint64) uint64 {
	z := (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// CounterBits returns 64 random bits for the counter words (c0, c1, c2, c3): conlab's CounterRandom.bits.
func CounterBits(seed, c0, c1, c2, c3 uint64) uint64 {
	state := mix(seed ^ 0x6A09E667F3BCC909)
	state = mix(state + c0*0x9E3779B97F4A7C15)
	state = mix(state + c1*0xD1B54A32D192ED03)
	state = mix(state + c2*0xAEF17502108EF2D9)
	return mix(state + c3*0xF1357AEA2E62A9C5)
}

// CounterUniform returns a uniform number in [0, 1) from the top 53 bits: conlab's CounterRandom.uniform.
func CounterUniform(seed, c0, c1, c2, c3 uint64) float64 {
	return float64(CounterBits(seed, c0, c1, c2, c3)>>11) * (1.0 / (1 << 53))
}

// seconds reads a duration in seconds as conlab does (whole seconds plus attoseconds), for identical rounding.
func seconds(nanoseconds int64) float64 {
	whole, rest := nanoseconds/1_000_000_000, nanoseconds%1_000_000_000
	if rest < 0 {
		whole, rest = whole-1, rest+1_000_000_000
	}
	return float64(whole) + float64(rest*1_000_000_000)*1e-18
}

// nanoseconds rounds seconds to whole nanoseconds, half away from zero, within 0...MaximumNanoseconds.
func nanoseconds(seconds float64) int64 {
	value := seconds * 1e9
	if value != value || value <= 0 {
		return 0
	}
	if value >= float64(MaximumNanoseconds) {
		return MaximumNanoseconds
	}
	whole := math.Floor(value)
	if value-whole >= 0.5 {
		return int64(whole) + 1
	}
	return int64(whole)
}
