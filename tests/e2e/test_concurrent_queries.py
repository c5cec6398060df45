"""Analysts keep querying while a nightly run (the demo, in another process) runs."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from subprocess import CompletedProcess

from tests.helpers import run_cli
from warehouse.connection import WAREHOUSE_FILE

SOURCES = ["kloop", "24kg", "azattyq-ru", "ozodi"]  # enough for a real load step, quicker
QUERIES = [
    "SELECT count(*) AS n FROM stories",
    "SELECT topic, sum(stories) AS n FROM topic_daily GROUP BY topic",
    "SELECT source_id, status FROM source_health WHERE is_latest",
]
PAUSE_S = 0.25


def test_sql_keeps_working_while_a_nightly_runs(tmp_path: Path, prefect_api: str) -> None:
    data = tmp_path / "data"
    finished: list[CompletedProcess[str]] = []

    def nightly() -> None:
        only = [arg for source in SOURCES for arg in ("--source", source)]
        finished.append(run_cli(["--data", str(data), "demo", *only],
                                env={"PREFECT_API_URL": prefect_api}, check=False))

    runner = threading.Thread(target=nightly)
    runner.start()
    while runner.is_alive() and not (data / WAREHOUSE_FILE).exists():
        time.sleep(0.05)
    results: list[CompletedProcess[str]] = []
    counts: list[int] = []
    while runner.is_alive():
        query = QUERIES[len(results) % len(QUERIES)]
        result = run_cli(["--data", str(data), "sql", query, "--format", "json"], check=False)
        results.append(result)
        if result.returncode == 0 and query == QUERIES[0]:
            counts.append(json.loads(result.stdout)[0]["n"])
        # A query every ~0.6 s, each a process of its own as an analyst's: back to back they
        # took a core from the nightly they are reading beside.
        time.sleep(PAUSE_S)
    runner.join()

    assert finished[0].returncode == 0, finished[0].stderr[-2000:]
    failures = [r.stderr for r in results if r.returncode != 0]
    assert failures == []
    assert len(results) >= 5
    assert counts == sorted(counts)  # a reader sees the load whole or not at all
    final = run_cli(["--data", str(data), "sql", QUERIES[0], "--format", "json"])
    assert json.loads(final.stdout)[0]["n"] > 0
