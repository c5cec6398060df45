"""Ctrl-C stops `steppewatch serve` cleanly: a real process in a process group of its own,
as a terminal runs it, against the session's Prefect server."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.helpers import BIN, config_copy


def test_ctrl_c_stops_serve_within_5_s(tmp_path: Path, prefect_api: str) -> None:
    config = config_copy(tmp_path)
    settings = config / "settings.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'cron = "0 2 * * *"', 'cron = "0 0 1 1 *"'), encoding="utf-8")  # no run starts
    env = {**os.environ, "PREFECT_API_URL": prefect_api}
    proc = subprocess.Popen(
        [str(BIN / "steppewatch"), "--config", str(config), "--data", str(tmp_path / "data"),
         "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A group of its own, as a terminal's foreground job, so Ctrl-C reaches the whole
        # group. A shell that starts jobs in the background ignores SIGINT in them: restore
        # the default, as a terminal has it, so Python turns SIGINT into KeyboardInterrupt.
        start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    stdout: list[str] = []
    stderr: list[str] = []
    serving = threading.Event()

    def read(stream, into: list[str]) -> None:
        for line in stream:
            into.append(line)
            if "being served" in line:
                serving.set()

    readers = [threading.Thread(target=read, args=(proc.stdout, stdout), daemon=True),
               threading.Thread(target=read, args=(proc.stderr, stderr), daemon=True)]
    for reader in readers:
        reader.start()
    try:
        assert serving.wait(120), f"serve did not start:\n{''.join(stdout)}{''.join(stderr)}"
        time.sleep(1)
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C
        started = time.monotonic()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            pytest.fail("serve still running 5 s after Ctrl-C")
        elapsed = time.monotonic() - started
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        # The session's Prefect server is shared: leave no deployment with this schedule.
        subprocess.run([str(BIN / "prefect"), "deployment", "delete", "nightly/nightly"],
                       env=env, capture_output=True, timeout=60)
    for reader in readers:
        reader.join(5)
    assert proc.returncode == 0, "".join(stderr)
    assert "Traceback" not in "".join(stderr) + "".join(stdout)
    assert "stopped serving nightly" in "".join(stdout)
    assert elapsed < 5
