"""Fixtures of tests/unit and tests/e2e: the replay web on loopback, one Prefect server per
test run (shared by the xdist workers), one full demo warehouse shared read-only by all.
Helpers (paths, run_cli, warehouse builders) are in tests/helpers.py."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from crawlers.sources import load_sources
from tests.helpers import (
    BIN,
    CONFIG,
    DEMO_TABLES,
    ROOT,
    SITES,
    SMALL_DEMO_SOURCES,
    free_port,
    run_cli,
)
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


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    """The test run's temporary folder: above each xdist worker's own, shared by all."""
    base = factory.getbasetemp()
    return base.parent if "PYTEST_XDIST_WORKER" in os.environ else base


# Background services of the Prefect server that no test uses: automations (triggers), the
# event store, work pool health, late and paused runs, concurrency leases, cleanups. Off,
# the server takes about a third less CPU idling and serving a demo; the API, the scheduler
# and the task run recorder (what the served deployment's test reads) run as ever.
UNUSED_SERVICES = ("TRIGGERS", "EVENT_PERSISTER", "FOREMAN", "LATE_RUNS", "PAUSE_EXPIRATIONS",
                   "REPOSSESSOR", "CANCELLATION_CLEANUP", "CLEANUP_RECONCILER")


def _start_prefect_server(home: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_LOGGING_LEVEL": "WARNING", "PREFECT_UI_ENABLED": "false",
           **{f"PREFECT_SERVER_SERVICES_{service}_ENABLED": "false" for service in UNUSED_SERVICES},
           "PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED": "[]"}
    env.pop("PREFECT_API_URL", None)
    log = (home / "server.log").open("w")
    # A session of its own: the worker that started it may end before the others.
    proc = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    return proc, api
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise RuntimeError(f"Prefect server did not start; see {home / 'server.log'}")


PREFECT_RECORD = "prefect-server.json"
PREFECT_LOCK = "prefect-server.lock"
_SERVERS: list[subprocess.Popen] = []


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Prefect server on loopback for the whole test run (it takes ~5 s of CPU to
    start, and a few per minute while it idles): started by whichever xdist worker asks
    first, under a lock, and used by all; the controller stops it when the run ends
    (pytest_sessionfinish). Tests on it must not step on each other: flow runs are told
    apart by id, and the served deployment's tests share one file (test_orchestration.py)."""
    shared = _run_folder(tmp_path_factory)
    record = shared / PREFECT_RECORD
    with (shared / PREFECT_LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _ensure_prefect_server(shared)
    yield json.loads(record.read_text())["api"]
    if "PYTEST_XDIST_WORKER" not in os.environ:  # a run without workers: stop it here
        _stop_prefect_server(record)


def _ensure_prefect_server(shared: Path) -> None:
    """Start the run's server and write its record, unless that is done (under the lock)."""
    record = shared / PREFECT_RECORD
    if not record.exists():
        home = shared / "prefect-home"
        home.mkdir(exist_ok=True)
        proc, api = _start_prefect_server(home)
        _SERVERS.append(proc)  # kept: the controller or prefect_api stops it
        record.write_text(json.dumps({"api": api, "pid": proc.pid}))


def pytest_sessionstart(session: pytest.Session) -> None:
    """The xdist controller of a run with end-to-end tests starts the Prefect server while
    the workers start and collect (it holds the lock until the server answers), so the
    first tests do not wait for it."""
    config = session.config
    if "PYTEST_XDIST_WORKER" in os.environ or not config.pluginmanager.hasplugin("dsession"):
        return
    unit = ROOT / "tests" / "unit"
    if all(Path(arg.split("::")[0]).resolve().is_relative_to(unit) for arg in config.args):
        return  # tests/unit only: no test needs the server
    shared = _run_folder(config._tmp_path_factory)
    lock = (shared / PREFECT_LOCK).open("w")
    fcntl.flock(lock, fcntl.LOCK_EX)

    def start() -> None:
        try:
            _ensure_prefect_server(shared)
        finally:
            lock.close()  # a failed start: the first test that needs the server tries again

    threading.Thread(target=start, name="prefect-server", daemon=True).start()


def _stop_prefect_server(record: Path) -> None:
    if not record.exists():
        return
    pid = json.loads(record.read_text())["pid"]
    record.unlink()
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)  # still there (the controller is not its parent: no wait())
        except ProcessLookupError:
            return
        if _reap(pid):
            return
        time.sleep(0.2)
    os.killpg(pid, signal.SIGKILL)


def _reap(pid: int) -> bool:
    """Collect the server's exit when this process started it (a run without workers)."""
    try:
        return os.waitpid(pid, os.WNOHANG)[0] == pid
    except ChildProcessError:
        return False


def pytest_sessionfinish(session: pytest.Session) -> None:
    """The xdist controller, after every worker ended: stop the run's Prefect server."""
    if "PYTEST_XDIST_WORKER" in os.environ:
        return
    shared = _run_folder(session.config._tmp_path_factory)
    with (shared / PREFECT_LOCK).open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a server still starting (pytest_sessionstart)
        _stop_prefect_server(shared / PREFECT_RECORD)


@pytest.fixture(scope="session")
def full_demo(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> dict:
    """`steppewatch demo` over every outlet's web site, run twice on one data folder, as a
    user runs it: the data folder, both runs' output and the row counts after the first.
    Built once per
    test run, under a lock, by whichever xdist worker (or the only process) asks first, and
    shared read-only by every test that reads a full demo: copy the folder with
    shutil.copytree to change anything."""
    shared = _run_folder(tmp_path_factory)
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


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """`steppewatch demo` over three outlets (SMALL_DEMO_SOURCES: kloop, 24kg, azattyq-ru),
    one run with the project's config: its data folder. Built once per test run under a
    lock, as full_demo, and read by test_restart (the uninterrupted run), test_verify and
    test_dask (the default runner's rows); copy the folder to change anything."""
    shared = _run_folder(tmp_path_factory)
    data = shared / "small-demo"
    done = shared / "small-demo.done"
    with (shared / "small-demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            only = [arg for source in SMALL_DEMO_SOURCES for arg in ("--source", source)]
            run_cli(["--data", str(data), "demo", *only],
                    env={"PREFECT_API_URL": request.getfixturevalue("prefect_api")})
            done.touch()
    return data


# --- the order test files are handed to xdist's workers --------------------------------

# The slowest files of tests/e2e (tens of seconds to a minute and a half each, measured with
# `--durations`), slowest first. With `--dist loadfile` each file goes whole to the next free
# worker; xdist would otherwise hand out the files with most tests first, which leaves these
# one- and two-test files for the end, where one worker ran the restart scenarios alone for
# a minute after the other had finished. Only the balance depends on this list: a file
# missing from it runs among the other end-to-end files.
SLOWEST_FILES = ("test_demo.py", "test_restart.py", "test_crawl_runs.py", "test_orchestration.py",
                 "test_dask.py", "test_source_failure.py", "test_bench_smoke.py",
                 "test_alerts_nightly.py", "test_concurrent_queries.py",
                 "test_story_changes.py", "test_telegram.py", "test_verify.py")


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config.option, "loadscopereorder"):  # xdist: keep the order made below
        config.option.loadscopereorder = False


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slowest files first, then the other end-to-end files, then tests/unit (many
    short tests: they fill both workers up to the end)."""
    def rank(item: pytest.Item) -> int:
        if "e2e" not in item.path.parts:
            return len(SLOWEST_FILES) + 1
        name = item.path.name
        return SLOWEST_FILES.index(name) if name in SLOWEST_FILES else len(SLOWEST_FILES)

    items.sort(key=rank)  # stable: each file's tests keep their order
