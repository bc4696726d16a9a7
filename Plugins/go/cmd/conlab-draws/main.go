// Command conlab-draws prints the draws of the Go port of conlab's generator and latency models, for
// conlab's tests to compare with its own (Tests/ConlabLatencyTests/GoDrawsTests.swift).
//
// It reads {"seed": S, "count": N, "models": [MODEL...]} on standard input and writes
// {"bits": [...], "samples": [[...] per model]}: bits(S; i, 3, 5, 1) and each model's sample at
// uniform(S; i, 3, 5, 0), for i below N, as decimal strings.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"

	"conlab.invalid/strategies/protocol"
)

func main() {
	var request struct {
		Seed   uint64                  `json:"seed"`
		Count  int                     `json:"count"`
		Models []protocol.LatencyModel `json:"models"`
	}
	if err := json.NewDecoder(os.Stdin).Decode(&request); err != nil {
		fmt.Fprintln(os.Stderr, "conlab-draws:", err)
		os.Exit(2)
	}
	answer := struct {
		Bits    []string   `json:"bits"`
		Samples [][]string `json:"samples"`
	}{Bits: make([]string, request.Count), Samples: make([][]string, len(request.Models))}
	for i := 0; i < request.Count; i++ {
		answer.Bits[i] = strconv.FormatUint(protocol.CounterBits(request.Seed, uint64(i), 3, 5, 1), 10)
	}
	for m, model := range request.Models {
		answer.Samples[m] = make([]string, request.Count)
		for i := 0; i < request.Count; i++ {
			sample, err := model.Sample(protocol.CounterUniform(request.Seed, uint64(i), 3, 5, 0))
			if err != nil {
				fmt.Fprintln(os.Stderr, "conlab-draws:", err)
				os.Exit(1)
			}
			answer.Samples[m][i] = strconv.FormatInt(sample, 10)
		}
	}
	if err := json.NewEncoder(os.Stdout).Encode(answer); err != nil {
		os.Exit(1)
	}
}
