"""Broken on purpose: never answers generation 1, and ignores being told to end."""

import signal
import time

import _broken

signal.signal(signal.SIGTERM, signal.SIG_IGN)


def hang(phase, work):
    while True:
        time.sleep(3600)


_broken.serve(hang)
