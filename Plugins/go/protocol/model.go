package protocol

import (
	"fmt"
	"math"
	"sort"
)

// LatencyModel is the protocol's latency model object: `kind` and its parameters.
type LatencyModel struct {
	Kind      string  `json:"kind"`
	ValueNs   int64   `json:"value_ns"`
	MinNs     int64   `json:"min_ns"`
	MaxNs     int64   `json:"max_ns"`
	MeanNs    int64   `json:"mean_ns"`
	SdNs      int64   `json:"sd_ns"`
	MedianNs  int64   `json:"median_ns"`
	Sigma     float64 `json:"sigma"`
	ScaleNs   int64   `json:"scale_ns"`
	Shape     float64 `json:"shape"`
	SamplesNs []int64 `json:"samples_ns"`
}

// Sample returns the latency at quantile u, in nanoseconds: conlab's LatencyModel.sample.
func (model LatencyModel) Sample(u float64) (int64, error) {
	if u != u {
		u = 0
	}
	u = math.Min(math.Max(u, 0), largestUniform)
	var value int64
	switch model.Kind {
	case "fixed":
		value = nonNegative(model.ValueNs)
	case "uniform":
		bounds := []int64{model.MinNs, model.MaxNs}
		sort.Slice(bounds, func(i, j int) bool { return bounds[i] < bounds[j] })
		low, high := seconds(bounds[0]), seconds(bounds[1])
		value = nanoseconds(low + (high-low)*u)
	case "normal":
		value = nanoseconds(truncatedNormalSeconds(model.MeanNs, model.SdNs, u))
	case "lognormal":
		value = nanoseconds(seconds(model.MedianNs) * exponential(model.Sigma*NormalQuantile(u)))
	case "exponential":
		value = nanoseconds(-seconds(model.MeanNs) * logarithm1p(-u))
	case "pareto":
		if model.Shape <= 0 {
			value = nonNegative(model.ScaleNs)
		} else {
			value = nanoseconds(seconds(model.ScaleNs) * power(1-u, -1/model.Shape))
		}
	case "empirical":
		count := len(model.SamplesNs)
		if count == 0 {
			return 0, nil
		}
		index := int(u * float64(count))
		if index > count-1 {
			index = count - 1
		}
		value = nonNegative(model.SamplesNs[index])
	default:
		return 0, fmt.Errorf("latency model '%s' is not supported by this program", model.Kind)
	}
	if value > MaximumNanoseconds {
		value = MaximumNanoseconds
	}
	return value, nil
}

func nonNegative(value int64) int64 {
	if value < 0 {
		return 0
	}
	return value
}
