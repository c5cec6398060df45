"""A URL that keeps failing (timeout, 5xx, too large) is tried again after 1, 2, 4, 8 and 16
days, then given up; the health table counts the URLs a run held back."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb

from tests.helpers import KLOOP
from warehouse.connection import WAREHOUSE_FILE, open_warehouse
from warehouse.crawl_state import seen_urls
from warehouse.load import SourceRun, load_run
from warehouse.runs import start_run, upsert_sources

SLOW = "https://kloop.kg/blog/2026/11/01/slow/"
HUGE = "https://kloop.kg/blog/2026/11/01/huge/"
GONE = "https://kloop.kg/blog/2026/11/01/gone/"
START = datetime(2026, 11, 1, 2, 0, tzinfo=UTC)


def night(data: Path, day: int, errors: list[dict]) -> None:
    """A run on the morning of day `day` whose crawl recorded `errors`."""
    run_id = f"run-{day:02d}"
    source_dir = data / "runs" / run_id / "kloop"
    source_dir.mkdir(parents=True)
    (source_dir / "errors.jsonl").write_text(
        "".join(json.dumps({"source_id": "kloop", **e}) + "\n" for e in errors))
    with open_warehouse(data) as con:
        upsert_sources(con, [KLOOP])
        start_run(con, run_id, START + timedelta(days=day), "replay", None, "v1")
        load_run(con, run_id, source_dir.parent,
                 [SourceRun("kloop", "ok", None, 1, 0, 0, len(errors), 0, 1.0)])


def held_back(data: Path, day: int) -> set[str]:
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:  # fast to open
        return set(seen_urls(con, START + timedelta(days=day)))


def timeout(url: str) -> dict:
    return {"url": url, "kind": "timeout", "message": "TimeoutError on article page"}


def test_failing_urls_back_off_then_are_given_up(tmp_path: Path) -> None:
    night(tmp_path, 0, [timeout(SLOW),
                        {"url": HUGE, "kind": "too_large", "message": "over 10 MB"},
                        {"url": GONE, "kind": "http_404", "message": "HTTP 404",
                         "http_status": 404}])
    assert held_back(tmp_path, 1) == {GONE}  # a 404 is final; one failure waits a night
    failed_on = [0]
    for day in range(1, 60):
        if SLOW not in held_back(tmp_path, day):
            night(tmp_path, day, [timeout(SLOW)])
            failed_on.append(day)
    assert failed_on == [0, 1, 3, 7, 15, 31]  # waits of 1, 2, 4, 8 and 16 days, then no more
    assert SLOW in held_back(tmp_path, 400)
    assert HUGE not in held_back(tmp_path, 1)


def test_the_health_table_counts_urls_held_back(tmp_path: Path) -> None:
    night(tmp_path, 0, [timeout(SLOW), {"url": HUGE, "kind": "http_503", "message": "HTTP 503",
                                        "http_status": 503}])
    night(tmp_path, 1, [timeout(SLOW)])  # both tried again after one night; SLOW fails again
    night(tmp_path, 2, [])  # SLOW now waits two days; HUGE has no further failure
    with open_warehouse(tmp_path) as con:
        rows = con.execute("select run_id, held_back from source_health order by run_id"
                           ).fetchall()
    assert rows == [("run-00", 0), ("run-01", 0), ("run-02", 1)]
