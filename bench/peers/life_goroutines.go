// The Go peer of the async Life cases: a goroutine per cell per generation, each sleeping the cell's wait
// (a fixed latency, as the bench's scenarios set it) before it computes the cell's next state from the
// generation's grid, joined by a WaitGroup: what a Go programmer writes for item 60. Built and run by
// bench/run (`go build`), never committed as a binary.
//
//	life_goroutines ROWS COLUMNS LATENCY_NS GENERATIONS [gated]
//
// With "gated", every goroutine of a generation is started first and released together by closing a
// channel, so that all cells are alive at once, as asyncio.gather (and conlab's async strategy) holds
// them. Prints the median seconds per generation.
package main

import (
	"fmt"
	"math/rand"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"
)

func main() {
	if len(os.Args) < 5 {
		fmt.Fprintln(os.Stderr, "usage: life_goroutines ROWS COLUMNS LATENCY_NS GENERATIONS [gated]")
		os.Exit(2)
	}
	rows, _ := strconv.Atoi(os.Args[1])
	columns, _ := strconv.Atoi(os.Args[2])
	latency, _ := strconv.ParseInt(os.Args[3], 10, 64)
	generations, _ := strconv.Atoi(os.Args[4])
	gated := len(os.Args) > 5 && os.Args[5] == "gated"

	random := rand.New(rand.NewSource(1))
	grid := make([]bool, rows*columns)
	for index := range grid {
		grid[index] = random.Float64() < 0.3
	}
	next := make([]bool, rows*columns)
	wait := time.Duration(latency)
	var seconds []float64
	for generation := 0; generation < generations; generation++ {
		started := time.Now()
		var group sync.WaitGroup
		group.Add(rows * columns)
		release := make(chan struct{})
		for index := range grid {
			go func(index int) {
				defer group.Done()
				if gated {
					<-release
				}
				time.Sleep(wait)
				row, column := index/columns, index%columns
				neighbours := 0
				for dr := -1; dr <= 1; dr++ {
					for dc := -1; dc <= 1; dc++ {
						if dr == 0 && dc == 0 {
							continue
						}
						r, c := (row+dr+rows)%rows, (column+dc+columns)%columns
						if grid[r*columns+c] {
							neighbours++
						}
					}
				}
				next[index] = neighbours == 3 || (neighbours == 2 && grid[index])
			}(index)
		}
		close(release)
		group.Wait()
		grid, next = next, grid
		seconds = append(seconds, time.Since(started).Seconds())
	}
	sort.Float64s(seconds)
	fmt.Println(seconds[len(seconds)/2])
}
