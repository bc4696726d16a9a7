"""Broken on purpose: computes every CPU unit, but answers a batch with one more divisor in its first unit's
result; Life and pipelines it runs right."""

import _broken


def wrong(phase, work):
    results = _broken.strategy_serial.run_batch(phase, work)
    results[0] = results[0] + [results[0][-1] + 1]
    return results


_broken.serve(batch=wrong)
