"""What every deliberately broken strategy shares: it is python-serial until generation 1 (or the CPU batch, or
the pipeline, for the programs that break those), where it breaks.

Each breaks one rule of the protocol (docs/strategy-protocol.md) that conlab must catch. A path given as the
first argument receives the program's process id, so a test can check that conlab left nothing running.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import conlab_protocol as protocol  # noqa: E402
import life  # noqa: E402
import strategy_serial  # noqa: E402

if len(sys.argv) > 1:
    with open(sys.argv[1], "w") as pid_file:
        pid_file.write(str(os.getpid()))


def serve(generation_one=None, batch=None, pipeline=None):
    """Serves as python-serial, except that generation 1 is answered by `generation_one(phase, work)`, a CPU
    batch by `batch(phase, work)` and a pipeline by `pipeline(phase, work)`, when given."""

    def run(phase, work):
        if work["generation"] == 1 and generation_one is not None:
            return generation_one(phase, work)
        return strategy_serial.run_generation(phase, work)

    protocol.serve({
        "life.generation": run,
        "cpu.batch": batch or strategy_serial.run_batch,
        "pipeline": pipeline or (lambda phase, work: strategy_serial.pipeline.run_serial(work)),
    })
