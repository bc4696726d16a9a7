package protocol

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// Version is the protocol version this package speaks.
const Version = 1

// Handler runs one phase's `work` and returns its results in the form its kind defines (a string for
// life.generation, an object for pipeline), a *UnitFailed for a unit whose call failed, or a *CannotRun for
// work it cannot run.
type Handler func(phase int, work json.RawMessage) (interface{}, error)

type message struct {
	Type    string          `json:"type"`
	Version int             `json:"version"`
	Phase   int             `json:"phase"`
	Kind    string          `json:"kind"`
	Work    json.RawMessage `json:"work"`
	Options json.RawMessage `json:"options"`
}

// Serve talks the protocol on standard input and output until conlab ends the conversation (`end`, or the
// end of its input), running each phase with the handler of its kind.
func Serve(handlers map[string]Handler) error {
	input := bufio.NewReaderSize(os.Stdin, 1<<20)
	output := bufio.NewWriterSize(os.Stdout, 1<<16)
	encoder := json.NewEncoder(output)
	// Results are written as they are: `<` or `&` in a pipeline's items need no escaping in JSON.
	encoder.SetEscapeHTML(false)
	write := func(value interface{}) error {
		if err := encoder.Encode(value); err != nil {
			return err
		}
		return output.Flush()
	}
	for {
		line, err := input.ReadBytes('\n')
		if len(line) == 0 && err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		var received message
		if err := json.Unmarshal(line, &received); err != nil {
			return fmt.Errorf("conlab wrote a line that is not a message: %w", err)
		}
		switch received.Type {
		case "hello":
			if err := write(map[string]interface{}{"type": "hello", "version": Version}); err != nil {
				return err
			}
			if received.Version != Version {
				// conlab names both versions and ends the run; nothing more will make sense.
				return nil
			}
		case "phase":
			handler, known := handlers[received.Kind]
			if !known {
				return write(map[string]interface{}{
					"type": "error", "message": fmt.Sprintf("this program does not run %s work", received.Kind),
				})
			}
			results, err := handler(received.Phase, received.Work)
			var failed *UnitFailed
			var cannot *CannotRun
			switch {
			case err == nil:
				err = write(map[string]interface{}{"type": "results", "phase": received.Phase, "results": results})
			case errors.As(err, &failed):
				failure := map[string]interface{}{
					"type": "failure", "phase": received.Phase, "index": failed.Index, "step": failed.Step,
					"reason": failed.Reason, "waited_ns": failed.WaitedNs,
				}
				if failed.Stage != nil {
					failure["stage"] = *failed.Stage
				}
				err = write(failure)
			case errors.As(err, &cannot):
				return write(map[string]interface{}{"type": "error", "message": cannot.Message})
			default:
				return write(map[string]interface{}{"type": "error", "message": err.Error()})
			}
			if err != nil {
				return err
			}
		case "end":
			return nil
		default:
			return write(map[string]interface{}{
				"type": "error", "message": fmt.Sprintf("unknown message type %q", received.Type),
			})
		}
	}
}
