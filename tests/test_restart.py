"""A nightly killed with SIGKILL during crawl, extract or load loses nothing: the next run
finishes its work and ends with the same rows as an uninterrupted run, reporting each
story once."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import run_cli
from warehouse.connection import WAREHOUSE_FILE

SOURCES = ["--source", "kloop", "--source", "24kg", "--source", "azattyq-ru"]


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
        }
    links: list[str] = []
    for report in (data / "reports").glob("*.md"):
        links += re.findall(r"\]\(<([^>]+)>\)", report.read_text())
    result["reported"] = sorted(links)
    return result


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> dict:
    data = tmp_path_factory.mktemp("uninterrupted")
    demo(data, prefect_api)
    return state(data)


@pytest.mark.parametrize("stage", ["crawl", "extract", "load"])
def test_killed_run_is_finished_by_the_next(stage: str, tmp_path: Path, prefect_api: str,
                                            uninterrupted: dict) -> None:
    assert demo(tmp_path, prefect_api, crash_at=stage) == -9  # killed, as by kill -9
    with duckdb.connect(str(tmp_path / WAREHOUSE_FILE), read_only=True) as con:
        assert con.execute("select count(*) from crawl_runs where status = 'running'"
                           ).fetchone()[0] == 1
    demo(tmp_path, prefect_api)
    after = state(tmp_path)
    assert after["duplicates"] == 0
    assert after["unfinished"] == 0
    assert len(uninterrupted["articles"]) >= 30
    assert after["articles"] == uninterrupted["articles"]
    assert after["tags"] == uninterrupted["tags"]
    assert after["delivered"] == uninterrupted["delivered"]
    assert after["reported"] == uninterrupted["reported"]  # each story in one report, once
