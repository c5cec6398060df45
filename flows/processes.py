"""Child processes that end with the nightly: crawl processes and extraction workers.

A run killed with SIGKILL must leave no crawler or worker behind it (they would keep
writing staging files a recovery is reading)."""

from __future__ import annotations

import ctypes
import os
import signal
import threading
import time

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """In the child: be killed when the nightly process dies, even by SIGKILL (Linux), so a
    killed run leaves no crawler or worker behind it. A parent that died before this ran
    is seen by the changed parent pid."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:
        os._exit(1)


def exit_with_parent(parent_pid: int, every_s: float = 1.0) -> None:
    """In a pool worker: exit once the nightly process is gone. PR_SET_PDEATHSIG cannot do it
    here: it fires when the *thread* that started the child ends, and a pool starts its
    workers from whichever thread submits work."""
    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(every_s)
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
