"""Crash points for the restart tests: a run killed at any point must lose nothing.

STEPPEWATCH_CRASH_AT=<point> makes the run kill itself with SIGKILL there, exactly as
`kill -9` would. Points of the nightly process: crawl (a source's crawl just finished),
extract, load (inside a load transaction), alert, index. Points inside a crawl process,
at its Nth article response: `archived:N` (written to the WARC, not yet listed anywhere
else) and `captured:N` (listed in captures.jsonl, not yet handed on in pages.jsonl); these
kill the nightly process too, as a `kill -9` of the whole run would. Unset, these are
no-ops; nothing else reads the variable.
"""

from __future__ import annotations

import os
import signal

ENV = "STEPPEWATCH_CRASH_AT"
_articles_seen: dict[str, int] = {}


def crash_point(point: str, kind: str | None = None) -> None:
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    name, _, nth = wanted.partition(":")
    if name != point:
        return
    if nth:
        if kind != "article":
            return
        _articles_seen[point] = _articles_seen.get(point, 0) + 1
        if _articles_seen[point] != int(nth):
            return
        os.kill(os.getppid(), signal.SIGKILL)
    os.kill(os.getpid(), signal.SIGKILL)
