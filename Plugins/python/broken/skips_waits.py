"""Broken on purpose: computes every cell right but never waits, so its phases finish under the floor."""

import _broken

_broken.protocol.sleep_ns = lambda duration: None
_broken.serve(_broken.strategy_serial.run_generation)
