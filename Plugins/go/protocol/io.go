package protocol

import (
	"fmt"
	"time"
)

// IO is a phase's `io` object: which steps wait, the seed, and the model of every call.
type IO struct {
	Steps []string `json:"steps"`
	Seed  uint64   `json:"seed"`
	Model struct {
		Latency     LatencyModel `json:"latency"`
		FailureRate float64      `json:"failure_rate"`
		TimeoutNs   *int64       `json:"timeout_ns"`
	} `json:"model"`
}

// Draws are the waits of one phase's units.
type Draws struct {
	io       IO
	waits    map[string]bool
	stepKeys map[string]uint64
}

// NewDraws reads a phase's `io` with the counter word of each step its kind defines.
func NewDraws(io IO, stepKeys map[string]uint64) *Draws {
	waits := make(map[string]bool, len(io.Steps))
	for _, step := range io.Steps {
		waits[step] = true
	}
	return &Draws{io: io, waits: waits, stepKeys: stepKeys}
}

// Waits tells whether `step` makes a call that waits.
func (draws *Draws) Waits(step string) bool { return draws.waits[step] }

// Draw returns the duration and the outcome (`completed`, `io_failed` or `timed_out`) of `step`'s call for
// unit `index` of `phase`: conlab's IOModel.draw.
func (draws *Draws) Draw(phase, index int, step string) (int64, string, error) {
	key := draws.stepKeys[step]
	model := draws.io.Model
	latency, err := model.Latency.Sample(CounterUniform(draws.io.Seed, uint64(phase), uint64(index), key, 0))
	if err != nil {
		return 0, "", err
	}
	if model.TimeoutNs != nil && latency > *model.TimeoutNs {
		return *model.TimeoutNs, "timed_out", nil
	}
	if model.FailureRate > 0 &&
		CounterUniform(draws.io.Seed, uint64(phase), uint64(index), key, 1) < model.FailureRate {
		return latency, "io_failed", nil
	}
	return latency, "completed", nil
}

// UnitFailed is a unit whose modelled call failed or timed out: answered as a `failure` message. A pipeline's
// failure names its stage (Stage); a Life cell's has none.
type UnitFailed struct {
	Index    int
	Step     string
	Reason   string
	WaitedNs int64
	Stage    *int
}

func (failure *UnitFailed) Error() string {
	return fmt.Sprintf("unit %d: %s %s", failure.Index, failure.Step, failure.Reason)
}

// CannotRun is work this program cannot run (a latency model it does not know): answered as an `error`.
type CannotRun struct{ Message string }

func (failure *CannotRun) Error() string { return failure.Message }

// Wait performs `step`'s wait for real, if the step waits, blocking the calling goroutine; then returns the
// failure the call ended with, if any.
func (draws *Draws) Wait(phase, index int, step string) error {
	if !draws.waits[step] {
		return nil
	}
	duration, outcome, err := draws.Draw(phase, index, step)
	if err != nil {
		return &CannotRun{Message: err.Error()}
	}
	Sleep(duration)
	if outcome != "completed" {
		return &UnitFailed{Index: index, Step: step, Reason: outcome, WaitedNs: duration}
	}
	return nil
}

// Sleep blocks the calling goroutine until `duration` nanoseconds from now on the monotonic clock, never
// returning early: time.Since reads the monotonic clock, and a sleep that woke early sleeps again.
func Sleep(duration int64) {
	start := time.Now()
	for {
		remaining := time.Duration(duration) - time.Since(start)
		if remaining <= 0 {
			return
		}
		time.Sleep(remaining)
	}
}
