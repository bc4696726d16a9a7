"""Broken on purpose: waits as it should, but answers generation 1 with its first cell flipped."""

import _broken


def wrong(phase, work):
    results = _broken.strategy_serial.run_generation(phase, work)
    return ("-" if results[0] == "*" else "*") + results[1:]


_broken.serve(wrong)
