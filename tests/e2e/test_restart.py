"""Nightly runs killed with SIGKILL anywhere (inside a crawl at several depths, after a crawl,
during extraction, load, alerts or the index rebuild) lose nothing: the next run finishes
their work and ends with the same rows as an uninterrupted run, reporting each story once."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.helpers import SMALL_DEMO_SOURCES, run_cli
from warehouse.connection import WAREHOUSE_FILE
from warehouse.sql import statement

# The small demo's outlets: its run (tests/conftest.py: small_demo) is the uninterrupted one.
SOURCES = [arg for source in SMALL_DEMO_SOURCES for arg in ("--source", source)]


def demo(data: Path, prefect_api: str, crash_at: str | None = None) -> int:
    env = {"PREFECT_API_URL": prefect_api}
    if crash_at:
        env["STEPPEWATCH_CRASH_AT"] = crash_at
    return run_cli(["--data", str(data), "demo", *SOURCES], env=env, check=crash_at is None
                   ).returncode


def state(data: Path) -> dict:
    """What a user can see: stored articles, their tags, deliveries, and report contents."""
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        def rows(sql: str) -> list[tuple]:
            return con.execute(sql).fetchall()

        duplicates = rows(
            "select (select count(*) - count(distinct url) from articles)"
            " + (select count(*) - count(distinct (article_id, topic)) from article_topics)"
            " + (select count(*) - count(distinct capture_id) from captures)"
            " + (select count(*) - count(distinct article_id) from alert_deliveries)")[0][0]
        result = {
            "articles": sorted(rows("select url, title, text_sha1 from articles")),
            "tags": sorted(rows("select a.url, t.topic from article_topics t "
                                "join articles a using (article_id)")),
            "delivered": sorted(rows("select a.url from alert_deliveries d "
                                     "join articles a using (article_id)")),
            "unfinished": rows("select count(*) from crawl_runs where status = 'running'")[0][0],
            "duplicates": duplicates,
            "indexed": rows("select count(*) from search_indexed")[0][0],
            "orphans": len(rows(statement("crawl/orphan_captures").replace("$sources", "NULL"))),
        }
    links: list[str] = []
    for report in (data / "reports").glob("*.md"):
        links += re.findall(r"\]\(<([^>]+)>\)", report.read_text())
    result["reported"] = sorted(links)
    return result


@pytest.fixture(scope="module")
def uninterrupted(small_demo: Path) -> dict:
    """The state after one uninterrupted run of the same outlets: the session's small demo."""
    return state(small_demo)


def assert_same_as_uninterrupted(after: dict, uninterrupted: dict) -> None:
    assert after["duplicates"] == 0
    assert after["unfinished"] == 0
    assert after["orphans"] == 0
    assert len(uninterrupted["articles"]) >= 30
    assert after["articles"] == uninterrupted["articles"]
    assert after["tags"] == uninterrupted["tags"]
    assert after["indexed"] == uninterrupted["indexed"]
    assert after["delivered"] == uninterrupted["delivered"]
    assert after["reported"] == uninterrupted["reported"]  # each story in one report, once


# A run killed after a source's crawl, during extraction, inside a load transaction, after an
# alert was claimed in the outbox, inside the index rebuild: each run is killed in turn, so
# every recovery also runs on the leftovers of the one before.
STAGES = ["crawl", "extract", "load", "alert", "index"]


def running_runs(data: Path) -> int:
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        return con.execute("select count(*) from crawl_runs where status = 'running'"
                           ).fetchone()[0]


def test_runs_killed_at_every_stage_lose_nothing(tmp_path: Path, prefect_api: str,
                                                  uninterrupted: dict) -> None:
    for stage in STAGES:
        assert demo(tmp_path, prefect_api, crash_at=stage) == -9, stage  # as by kill -9
        # The index is rebuilt after the run is marked finished; every other kill leaves
        # the run 'running' until the next one finishes it.
        assert running_runs(tmp_path) == (0 if stage == "index" else 1), stage
    demo(tmp_path, prefect_api)
    assert_same_as_uninterrupted(state(tmp_path), uninterrupted)


# Inside the crawl processes, at their Nth article response: just archived (not yet listed
# anywhere else), or listed as a capture but not yet handed on to extraction. Each run is
# killed in turn, so recovery itself runs on the leftovers of recoveries.
CRAWL_DEPTHS = ["archived:5", "captured:3", "archived:2", "captured:1", "archived:1"]


def test_runs_killed_inside_crawls_lose_nothing(tmp_path: Path, prefect_api: str,
                                                 uninterrupted: dict) -> None:
    for point in CRAWL_DEPTHS:
        assert demo(tmp_path, prefect_api, crash_at=point) == -9, point
    assert running_runs(tmp_path) == 1  # each killed run was finished by the next
    demo(tmp_path, prefect_api)
    assert_same_as_uninterrupted(state(tmp_path), uninterrupted)
