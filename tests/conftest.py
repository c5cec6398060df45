"""Shared fixtures: the replay web on loopback, one Prefect server per test session."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"
SITES = ROOT / "tests" / "replay" / "sites"
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def replay_server() -> Iterator[object]:
    from crawlers.replay_server import ReplayServer

    with ReplayServer(SITES) as server:
        yield server


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Prefect server on loopback for the whole session (it takes ~15 s to start)."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_LOGGING_LEVEL": "WARNING", "PREFECT_UI_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("w")
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT)
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            time.sleep(0.5)
    else:
        proc.terminate()
        raise RuntimeError(f"Prefect server did not start; see {home / 'server.log'}")
    yield api
    proc.terminate()
    proc.wait(timeout=30)


def run_cli(args: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT,
            check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the steppewatch command as a user types it."""
    proc = subprocess.run([str(BIN / "steppewatch"), *args], cwd=cwd, text=True,
                          capture_output=True, env={**os.environ, **(env or {})}, input=stdin,
                          timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(f"steppewatch {' '.join(args)} failed ({proc.returncode}):\n"
                             f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc
