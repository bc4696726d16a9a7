"""Broken on purpose: answers generation 1 with a line that is not a protocol message."""

import sys

import _broken


def garbage(phase, work):
    sys.stdout.write("this is not a protocol message\n")
    sys.stdout.flush()
    # It then waits for conlab, which must not wait for it.
    sys.stdin.readline()
    return ""


_broken.serve(garbage)
