"""The workspace keeps one read-only connection between requests (flows/web/access.py), and
a nightly's writer in another process still gets the warehouse while pages keep coming:
real DuckDB files, a real `steppewatch web` process and a real second process writing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from flows.web import access
from flows.web.access import WarehouseAccess
from tests.helpers import ROOT, served_workspace
from tests.workspace_data import build_workspace_warehouse

WRITER_BOUND_SECONDS = 20.0  # the writer gives up after this (a page holds it far less)
RENAMED = "Kloop (renamed by the nightly)"

# The nightly's way in: open_warehouse waits while a reader holds the file, trying again
# every 0.1 s; prints how long it waited.
WRITER = """
import json, sys, time
from pathlib import Path
from warehouse.connection import open_warehouse
started = time.monotonic()
con = open_warehouse(Path(sys.argv[1]), float(sys.argv[2]), create=False)
waited = time.monotonic() - started
con.execute("UPDATE sources SET name = $name WHERE source_id = 'kloop'", {"name": sys.argv[3]})
con.close()
print(json.dumps({"waited": waited}))
"""


def write_as_the_nightly(data: Path, wait_seconds: float, name: str = RENAMED
                         ) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-c", WRITER, str(data), str(wait_seconds), name],
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("kept")
    build_workspace_warehouse(folder)
    return folder


def test_one_reader_serves_many_requests_and_is_closed_when_idle(data: Path) -> None:
    reader = WarehouseAccess(data)
    before = reader.readers_opened
    for _ in range(5):
        with reader.reading() as con:
            assert con.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
    assert reader.readers_opened == before + 1
    with reader.reading() as con:
        assert con.execute("SELECT current_setting('threads')").fetchone()[0] == access.THREADS
        with pytest.raises(Exception, match="lock"):
            con.execute("SET threads = 2")  # shut in as every reader: no setting changes
    # Idle for IDLE_SECONDS, it is closed: a writer that does not wait at all gets in.
    deadline = time.monotonic() + 30
    while reader._keeper.con is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reader._keeper.con is None
    wrote = write_as_the_nightly(data, 0, "Kloop")
    assert wrote.returncode == 0, wrote.stderr[-2000:]
    with reader.reading() as con:  # a new reader sees what was written
        assert con.execute("SELECT name FROM sources WHERE source_id = 'kloop'"
                           ).fetchone()[0] == "Kloop"
    assert reader.readers_opened == before + 2


def test_a_writers_try_makes_the_kept_reader_step_aside(data: Path) -> None:
    """Kept open by a request in flight, the reader is closed once that request ends; no new
    request is served on it meanwhile, and the writer gets in within the gap."""
    if not access.WriterKnocks().watching:
        pytest.skip("no inotify here: the reader steps aside after KEEP_SECONDS instead")
    reader = WarehouseAccess(data)
    with reader.reading():
        writer = threading.Thread(target=lambda: results.append(
            write_as_the_nightly(data, WRITER_BOUND_SECONDS, "Kloop")))
        results: list[subprocess.CompletedProcess[str]] = []
        writer.start()
        time.sleep(1.0)  # the writer tries, fails and tries again
    writer.join()
    assert results[0].returncode == 0, results[0].stderr[-2000:]
    assert json.loads(results[0].stdout)["waited"] >= 0.5  # it did wait for the request


@pytest.fixture
def served(data: Path) -> Iterator[str]:
    with served_workspace(data) as (base, _):
        yield base


def test_a_nightly_gets_the_warehouse_while_pages_keep_coming(data: Path, served: str) -> None:
    pages = ["/stories?all=1", "/sources", "/runs", "/stories?topic=police", "/corrections"]
    statuses: list[int] = []
    stop = threading.Event()

    def browse() -> None:  # back to back, as a busy workspace gets them
        while not stop.is_set():
            url = served + pages[len(statuses) % len(pages)]
            try:
                with urllib.request.urlopen(url, timeout=60) as answer:
                    answer.read()
                    statuses.append(answer.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)

    browser = threading.Thread(target=browse)
    browser.start()
    try:
        while len(statuses) < 10:
            time.sleep(0.05)
        wrote = write_as_the_nightly(data, WRITER_BOUND_SECONDS)
        print("the writer waited", wrote.stdout.strip())
        during = len(statuses)
        while len(statuses) < during + 10:  # pages go on after the write
            time.sleep(0.05)
    finally:
        stop.set()
        browser.join()
    assert wrote.returncode == 0, wrote.stderr[-2000:]  # in within the bound, not busy
    assert set(statuses) == {200}
    with urllib.request.urlopen(served + "/sources/kloop", timeout=60) as answer:
        assert RENAMED in answer.read().decode()  # the kept reader was replaced: new data
