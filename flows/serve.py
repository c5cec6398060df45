"""Serving the nightly deployment on its schedule (cron + timezone from settings.toml).

Against the Prefect server in PREFECT_API_URL, or, with none configured, a local
server started here on loopback with its home in the data folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from flows.settings import Settings

DEPLOYMENT = "nightly"
LOCAL_PORT = 4200


def start_local_server(data_dir: Path, port: int = LOCAL_PORT) -> subprocess.Popen:
    """`prefect server start` on 127.0.0.1; PREFECT_API_URL then points at it."""
    log = (data_dir / "prefect" / "server.log").open("a")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "prefect"), "server", "start", "--host", "127.0.0.1",
         "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
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
    server.terminate()
    raise RuntimeError(f"the local Prefect server did not start; see {log.name}")


def serve_nightly(settings: Settings) -> None:
    """Register the deployment with its schedule and run its flow runs until stopped."""
    from prefect.schedules import Cron

    from flows.nightly import nightly

    nightly.serve(
        name=DEPLOYMENT,
        schedules=[Cron(settings.cron, timezone=settings.timezone)],
        parameters={"config_dir": str(settings.config_dir.resolve()),
                    "data_dir": str(settings.data_dir.resolve())},
        description="steppewatch nightly: crawl, extract, tag, load, alert",
        tags=["steppewatch"],
    )
