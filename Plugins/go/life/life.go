// Package life is the Game of Life as conlab's `life.generation` work describes it: a torus of '*' (alive)
// and '-' (empty), each cell's update two steps that may wait (docs/strategy-protocol.md).
//
// Written for conlab from the rules (Conway's, as Effective Python's items 56-60 state them).
package life

import (
	"encoding/json"
	"errors"
	"fmt"

	"conlab.invalid/strategies/protocol"
)

// Alive and Empty are a cell's two states, as the work writes them.
const (
	Alive byte = '*'
	Empty byte = '-'
)

// StepKeys is the counter word of each step's draws, as conlab keys them.
var StepKeys = map[string]uint64{"count_neighbors": 0, "game_logic": 1}

// Generation is one phase's work.
type Generation struct {
	Number  int             `json:"generation"`
	Rows    int             `json:"rows"`
	Columns int             `json:"columns"`
	Cells   string          `json:"cells"`
	IO      protocol.IO     `json:"io"`
	Draws   *protocol.Draws `json:"-"`
}

// Read decodes a phase's work.
func Read(work json.RawMessage) (*Generation, error) {
	var generation Generation
	if err := json.Unmarshal(work, &generation); err != nil {
		return nil, &protocol.CannotRun{Message: fmt.Sprintf("life.generation work is malformed: %v", err)}
	}
	if generation.Rows*generation.Columns != len(generation.Cells) {
		return nil, &protocol.CannotRun{Message: "life.generation work: cells do not fill rows × columns"}
	}
	generation.Draws = protocol.NewDraws(generation.IO, StepKeys)
	return &generation, nil
}

// CountNeighbors counts the live cells among the eight around cell `index`, wrapping at the edges.
func (generation *Generation) CountNeighbors(index int) int {
	rows, columns := generation.Rows, generation.Columns
	y, x := index/columns, index%columns
	count := 0
	for dy := -1; dy <= 1; dy++ {
		for dx := -1; dx <= 1; dx++ {
			if dy == 0 && dx == 0 {
				continue
			}
			if generation.Cells[((y+dy+rows)%rows)*columns+(x+dx+columns)%columns] == Alive {
				count++
			}
		}
	}
	return count
}

// GameLogic decides a cell's next state: a live cell with 2 or 3 neighbours lives on; an empty one with
// exactly 3 comes alive.
func GameLogic(alive bool, neighbors int) bool {
	if alive {
		return neighbors == 2 || neighbors == 3
	}
	return neighbors == 3
}

// Update runs cell `index`'s update, blocking its goroutine in each wait: wait (if the step waits), count;
// wait (if it waits), decide. It returns the cell's next state, or the failure its waits ended with.
func (generation *Generation) Update(index int) (byte, error) {
	if err := generation.Draws.Wait(generation.Number, index, "count_neighbors"); err != nil {
		return 0, err
	}
	neighbors := generation.CountNeighbors(index)
	if err := generation.Draws.Wait(generation.Number, index, "game_logic"); err != nil {
		return 0, err
	}
	if GameLogic(generation.Cells[index] == Alive, neighbors) {
		return Alive, nil
	}
	return Empty, nil
}

// Answer is the phase's results from every cell's next state and error, in index order. When cells failed,
// it returns the failure of the lowest index: the one a serial run stops at, so that a concurrent strategy
// reports the same cell whichever of its cells finished first.
func Answer(next []byte, failures []error) (string, error) {
	for _, failure := range failures {
		if failure == nil {
			continue
		}
		var cannot *protocol.CannotRun
		if errors.As(failure, &cannot) {
			return "", failure
		}
	}
	for _, failure := range failures {
		if failure != nil {
			return "", failure
		}
	}
	return string(next), nil
}
