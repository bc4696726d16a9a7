// Command conlab-goroutines is conlab's strategy `go-goroutines`: a goroutine for every cell of a
// generation, each blocking in its waits (time.Sleep), joined by a sync.WaitGroup. What a Go programmer
// writes for Effective Python's item 60: the runtime parks a sleeping goroutine and its timer, so every
// cell's waits overlap on a few OS threads. Pipelines (item 55) run as a goroutine per worker of every
// stage with channels between the stages (package pipeline).
//
// conlab starts it (strategies/go-goroutines.json) and speaks docs/strategy-protocol.md with it.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"

	"conlab.invalid/strategies/life"
	"conlab.invalid/strategies/pipeline"
	"conlab.invalid/strategies/protocol"
)

func generation(phase int, work json.RawMessage) (interface{}, error) {
	grid, err := life.Read(work)
	if err != nil {
		return "", err
	}
	next := make([]byte, len(grid.Cells))
	failures := make([]error, len(grid.Cells))
	var group sync.WaitGroup
	group.Add(len(grid.Cells))
	for index := range next {
		go func(index int) {
			defer group.Done()
			next[index], failures[index] = grid.Update(index)
		}(index)
	}
	group.Wait()
	return life.Answer(next, failures)
}

func main() {
	handlers := map[string]protocol.Handler{
		"life.generation": generation,
		// Item 55: a goroutine per worker of every stage, channels between the stages.
		"pipeline": func(phase int, work json.RawMessage) (interface{}, error) { return pipeline.Run(work) },
	}
	if err := protocol.Serve(handlers); err != nil {
		fmt.Fprintln(os.Stderr, "conlab-goroutines:", err)
		os.Exit(1)
	}
}
