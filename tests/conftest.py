"""Fixtures of tests/unit and tests/e2e: the replay web on loopback, one Prefect server per
test session (per xdist worker), one full demo warehouse shared read-only by all.
Helpers (paths, run_cli, warehouse builders) are in tests/helpers.py."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator

import duckdb
import pytest

from crawlers.sources import load_sources
from tests.helpers import BIN, CONFIG, DEMO_TABLES, SITES, free_port, run_cli
from warehouse.connection import WAREHOUSE_FILE

# The full demo replays every outlet's web site; the Telegram channels (a crawl process each
# per night, a third of the demo's time) have their own two-night test, test_telegram.py.
WEB_SOURCES = [arg for source in load_sources(CONFIG / "sources.toml")
               if source.family != "telegram" for arg in ("--source", source.id)]

# pytest-xdist's workers start with COLUMNS=80 and LINES=24 in the environment. The CLI's
# Rich consoles, made when flows.cli is first imported (after this file), would keep 80
# columns for good, unlike a serial run; tests that need a width set COLUMNS themselves.
if "PYTEST_XDIST_WORKER" in os.environ:
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)


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


@pytest.fixture(scope="session")
def full_demo(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict:
    """`steppewatch demo` over every outlet's web site, run twice on one data folder, as a
    user runs it: the data folder, both runs' output and the row counts after the first.
    Built once per
    test run, under a lock, by whichever xdist worker (or the only process) asks first, and
    shared read-only by every test that reads a full demo: copy the folder with
    shutil.copytree to change anything."""
    shared = tmp_path_factory.getbasetemp()
    if "PYTEST_XDIST_WORKER" in os.environ:
        shared = shared.parent  # the run's folder, above each worker's own
    data = shared / "full-demo"
    record = shared / "full-demo.json"
    with (shared / "full-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the others wait here while one builds it
        if not record.exists():
            env = {"PREFECT_API_URL": request.getfixturevalue("prefect_api")}
            first = run_cli(["--data", str(data), "demo", *WEB_SOURCES], env=env)
            with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
                after_first = {t: con.execute(f"select count(*) from {t}").fetchone()[0]
                               for t in DEMO_TABLES}
            second = run_cli(["--data", str(data), "demo", *WEB_SOURCES], env=env)
            record.write_text(json.dumps({"first": first.stdout, "second": second.stdout,
                                          "after_first": after_first}))
    return {"data": data, **json.loads(record.read_text())}

