// Package pipeline is Effective Python's item 55 as conlab's `pipeline` work describes it
// (docs/strategy-protocol.md): items through stages, each stage served by its own goroutines, a channel in
// front of every stage, each item waiting its stage's modelled I/O and burning its CPU, with the source values
// and the waits drawn as conlab draws them.
//
// Written for conlab from the protocol's description, as a Go programmer writes a pipeline: goroutines and
// channels, a stage's channel closed when every worker of the stage before it has ended.
package pipeline

import (
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"conlab.invalid/strategies/protocol"
)

// The counter words conlab keys the draws with: item i enters with bits(seed; sourceKey, i); its wait in
// stage s is drawn with the words (stageKey + s, i, 0).
const (
	sourceKey uint64 = 0x50C7CE
	stageKey  uint64 = 0x51A6E
)

// Work is a `pipeline` work object.
type Work struct {
	Items      int    `json:"items"`
	Seed       uint64 `json:"seed"`
	Buffer     *int   `json:"buffer"`
	Discipline struct {
		Kind       string `json:"kind"`
		IntervalNs int64  `json:"interval_ns"`
	} `json:"discipline"`
	Stages []struct {
		Name    string          `json:"name"`
		Workers int             `json:"workers"`
		IO      json.RawMessage `json:"io"`
		CPUNs   int64           `json:"cpu_ns"`
	} `json:"stages"`
}

// stage is one stage, read: its draws (nil when it does not wait) and its CPU per item.
type stage struct {
	index   int
	name    string
	workers int
	draws   *protocol.Draws
	cpuNs   int64
}

// item is an item in flight: its number, its value so far, and when it entered the first channel.
type item struct {
	number  int
	value   uint64
	entered time.Time
}

// Results is the pipeline's answer (`results` of a `results` message).
type Results struct {
	// Delivered holds [item, value, latency_ns] per item, in the order items left the last stage.
	Delivered  [][3]uint64 `json:"delivered"`
	BusyNs     []int64     `json:"busy_ns"`
	MaxDepth   []int       `json:"max_depth"`
	Polls      int64       `json:"polls"`
	EmptyPolls int64       `json:"empty_polls"`
}

// Run runs a phase's `pipeline` work with a goroutine per worker of every stage, and returns its Results, the
// first *protocol.UnitFailed met (the items in flight are let go, every goroutine ends), or a
// *protocol.CannotRun (a latency model it does not know, say).
func Run(work json.RawMessage) (interface{}, error) {
	var pipeline Work
	if err := json.Unmarshal(work, &pipeline); err != nil {
		return nil, &protocol.CannotRun{Message: fmt.Sprintf("pipeline work is malformed: %v", err)}
	}
	stages := make([]stage, len(pipeline.Stages))
	for index, spec := range pipeline.Stages {
		if spec.Workers < 1 {
			return nil, &protocol.CannotRun{Message: fmt.Sprintf("stage %q has %d workers", spec.Name, spec.Workers)}
		}
		stages[index] = stage{index: index, name: spec.Name, workers: spec.Workers, cpuNs: spec.CPUNs}
		if len(spec.IO) > 0 && string(spec.IO) != "null" {
			var io protocol.IO
			wrapped := fmt.Sprintf(`{"steps":[%q],"seed":%d,"model":%s}`, spec.Name, pipeline.Seed, spec.IO)
			if err := json.Unmarshal([]byte(wrapped), &io); err != nil {
				return nil, &protocol.CannotRun{Message: fmt.Sprintf("stage %q's io is malformed: %v", spec.Name, err)}
			}
			stages[index].draws = protocol.NewDraws(io, map[string]uint64{spec.Name: 0})
		}
	}
	polling := pipeline.Discipline.Kind == "polling"
	if !polling && pipeline.Discipline.Kind != "blocking" {
		return nil, &protocol.CannotRun{Message: fmt.Sprintf("unknown discipline %q", pipeline.Discipline.Kind)}
	}
	// A buffered channel of the stage's capacity; unbounded (null) is the whole run's items, which never fills.
	capacity := pipeline.Items
	if pipeline.Buffer != nil && *pipeline.Buffer > 0 && *pipeline.Buffer < capacity {
		capacity = *pipeline.Buffer
	}
	channels := make([]chan item, len(stages))
	for index := range channels {
		channels[index] = make(chan item, capacity)
	}
	run := &flow{
		stages: stages, channels: channels, polling: polling,
		interval: time.Duration(pipeline.Discipline.IntervalNs),
		results: Results{
			Delivered: make([][3]uint64, 0, pipeline.Items),
			BusyNs:    make([]int64, len(stages)),
			MaxDepth:  make([]int, len(stages)),
		},
	}
	var ended sync.WaitGroup
	ended.Add(1)
	go func() {
		defer ended.Done()
		for number := 0; number < pipeline.Items && !run.hasFailed(); number++ {
			entered := time.Now()
			value := protocol.CounterBits(pipeline.Seed, sourceKey, uint64(number), 0, 0)
			run.put(0, item{number: number, value: value, entered: entered})
		}
		close(channels[0])
	}()
	for index := range stages {
		var workers sync.WaitGroup
		workers.Add(stages[index].workers)
		for worker := 0; worker < stages[index].workers; worker++ {
			go func(index int) {
				defer workers.Done()
				run.serve(index)
			}(index)
		}
		ended.Add(1)
		go func(index int) {
			defer ended.Done()
			workers.Wait()
			if index+1 < len(channels) {
				close(channels[index+1])
			}
		}(index)
	}
	ended.Wait()
	if run.failure != nil {
		return nil, run.failure
	}
	return run.results, nil
}

// flow is one run of a pipeline: its stages, their channels, and what the workers record, under lock.
type flow struct {
	stages   []stage
	channels []chan item
	polling  bool
	interval time.Duration

	lock    sync.Mutex
	results Results
	// The first *protocol.UnitFailed met, or a *protocol.CannotRun.
	failure error
}

// serve is one worker of stage `index`: it takes items until the stage's channel is closed and drained.
func (run *flow) serve(index int) {
	stage := &run.stages[index]
	for {
		next, open := run.take(index)
		if !open {
			return
		}
		if run.hasFailed() {
			// Items after a failure pass no further: the channels drain, and every goroutine ends.
			continue
		}
		started := time.Now()
		value, failure := stage.process(next)
		run.lock.Lock()
		run.results.BusyNs[index] += int64(time.Since(started))
		if failure != nil && run.failure == nil {
			run.failure = failure
		}
		run.lock.Unlock()
		if failure != nil {
			continue
		}
		next.value = value
		if index+1 < len(run.stages) {
			run.put(index+1, next)
		} else {
			run.deliver(next)
		}
	}
}

// process is one (stage, item): wait for real, then burn the stage's CPU, then the item's value after it.
func (stage *stage) process(next item) (uint64, error) {
	if stage.draws != nil {
		duration, outcome, err := stage.draws.Draw(int(stageKey)+stage.index, next.number, stage.name)
		if err != nil {
			return 0, &protocol.CannotRun{Message: err.Error()}
		}
		protocol.Sleep(duration)
		if outcome != "completed" {
			return 0, &protocol.UnitFailed{
				Index: next.number, Step: stage.name, Reason: outcome, WaitedNs: duration, Stage: &stage.index,
			}
		}
	}
	if stage.cpuNs > 0 {
		burn(stage.cpuNs, next.value)
	}
	return protocol.CounterBits(next.value, uint64(stage.index), 0, 0, 0), nil
}

// take returns stage `index`'s next item, waiting as the discipline says: blocked on the channel, or checking
// it and sleeping the interval while it is empty.
func (run *flow) take(index int) (item, bool) {
	channel := run.channels[index]
	if !run.polling {
		next, open := <-channel
		return next, open
	}
	var checks, empty int64
	defer func() {
		run.lock.Lock()
		run.results.Polls += checks
		run.results.EmptyPolls += empty
		run.lock.Unlock()
	}()
	for {
		checks++
		select {
		case next, open := <-channel:
			return next, open
		default:
			empty++
			time.Sleep(run.interval)
		}
	}
}

// put hands an item to stage `index`, waiting while its channel is full (blocked, or sleeping the interval
// between tries when polling), and records the channel's depth.
func (run *flow) put(index int, next item) {
	channel := run.channels[index]
	if run.polling {
		for {
			select {
			case channel <- next:
				run.recordDepth(index, len(channel))
				return
			default:
				time.Sleep(run.interval)
			}
		}
	}
	channel <- next
	run.recordDepth(index, len(channel))
}

func (run *flow) recordDepth(index, depth int) {
	run.lock.Lock()
	if depth > run.results.MaxDepth[index] {
		run.results.MaxDepth[index] = depth
	}
	run.lock.Unlock()
}

// deliver records an item leaving the last stage, in the order items leave it.
func (run *flow) deliver(next item) {
	run.lock.Lock()
	run.results.Delivered = append(
		run.results.Delivered, [3]uint64{uint64(next.number), next.value, uint64(time.Since(next.entered))},
	)
	run.lock.Unlock()
}

func (run *flow) hasFailed() bool {
	run.lock.Lock()
	defer run.lock.Unlock()
	return run.failure != nil
}

// burn computes for `duration` nanoseconds on the monotonic clock: real CPU on the goroutine's thread, not a
// sleep.
func burn(duration int64, seed uint64) uint64 {
	start := time.Now()
	value := seed
	for time.Since(start) < time.Duration(duration) {
		for round := 0; round < 64; round++ {
			value = value*6364136223846793005 + 1442695040888963407
		}
	}
	return value
}
