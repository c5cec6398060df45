"""Crash points for the restart tests: a run killed mid-stage must lose nothing.

Setting STEPPEWATCH_CRASH_AT=<stage> (crawl, extract, load) makes the nightly process
kill itself with SIGKILL at that point, exactly as `kill -9` would. Unset, these are
no-ops; nothing else reads the variable.
"""

from __future__ import annotations

import os
import signal

STAGES = ("crawl", "extract", "load")


def crash_point(stage: str) -> None:
    if os.environ.get("STEPPEWATCH_CRASH_AT") == stage:
        os.kill(os.getpid(), signal.SIGKILL)
