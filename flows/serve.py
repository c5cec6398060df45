"""Serving the nightly deployment on its schedule (cron + timezone from settings.toml).

Against the Prefect server in PREFECT_API_URL, or, with none configured, a local
server started here on loopback with its home in the data folder.
"""

from __future__ import annotations

import ctypes
import functools
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING

from flows.settings import Settings, SettingsError

if TYPE_CHECKING:
    from prefect.schedules import Cron

DEPLOYMENT = "nightly"
LOCAL_PORT = 4200
PR_SET_PDEATHSIG = 1


def _server_child(parent_pid: int) -> None:
    """In the local server's process: get SIGTERM when steppewatch dies, even by SIGKILL
    (Linux), so no server is left behind."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent_pid:
        os._exit(1)


def start_local_server(data_dir: Path, port: int = LOCAL_PORT) -> subprocess.Popen:
    """`prefect server start` on 127.0.0.1; PREFECT_API_URL then points at it.

    The server runs in a session of its own: Ctrl-C in the terminal reaches only
    steppewatch, which stops serving while the server still answers, then stops it
    (stop_local_server)."""
    log = (data_dir / "prefect" / "server.log").open("a")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1",
         "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        preexec_fn=functools.partial(_server_child, os.getpid()))
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2):
                os.environ["PREFECT_API_URL"] = api
                return server
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.5)
    stop_local_server(server)
    raise RuntimeError(f"the local Prefect server did not start; see {log.name}")


def stop_local_server(server: subprocess.Popen, wait_s: float = 1) -> None:
    """SIGTERM, and SIGKILL after `wait_s`: uvicorn's graceful stop waits for the
    runner's websocket and would hold Ctrl-C up for seconds."""
    server.terminate()
    try:
        server.wait(wait_s)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def schedule(settings: Settings) -> Cron:
    """The Prefect schedule of settings.toml; a bad cron or timezone: SettingsError."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    from prefect.schedules import Cron

    where, plan = settings.settings_file, settings.schedule
    try:
        ZoneInfo(plan.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"{where}: schedule timezone {plan.timezone!r} is not a time "
                            "zone; use a tz database name such as Asia/Almaty") from None
    try:
        return Cron(plan.cron, timezone=plan.timezone)
    except ValueError as error:
        first = next((line.strip() for line in str(error).splitlines()[1:] if line.strip()),
                     str(error))
        raise SettingsError(f"{where}: schedule cron {plan.cron!r} is not valid ({first}); "
                            "write five fields, e.g. '0 2 * * *' for 02:00 daily") from None


def serve_nightly(settings: Settings) -> None:
    """Register the deployment with its schedule and run its flow runs until stopped
    (Ctrl-C, SIGTERM: Prefect pauses the schedule and returns)."""
    from flows.nightly import nightly

    nightly.serve(
        name=DEPLOYMENT,
        schedules=[schedule(settings)],
        parameters={"config_dir": str(settings.config_dir.resolve()),
                    "data_dir": str(settings.data_dir.resolve())},
        description="steppewatch nightly: crawl, extract, tag, load, alert",
        tags=["steppewatch"],
    )
