"""Broken on purpose: computes every cell and every pipeline item right but never waits, so its generations and
its pipelines finish under the floor."""

import _broken

_broken.protocol.sleep_ns = lambda duration: None
_broken.serve(_broken.strategy_serial.run_generation)
