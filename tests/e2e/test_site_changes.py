"""Outlets that changed under the crawler, noticed on the first night: a new URL scheme
(links that look like articles fail the pattern; their metadata still makes them
articles), a move to a host the source does not declare (flagged, naming the new host),
and a move to a declared host (followed). One night over tests/replay/changes, without
Prefect (flows.run_night), real Scrapy against the loopback replay, real DuckDB."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from crawlers.replay_server import ReplayServer
from flows import run_night
from tests.helpers import CONFIG, ROOT
from warehouse.connection import WAREHOUSE_FILE

CHANGES = ROOT / "tests" / "replay" / "changes"


@pytest.fixture(scope="module")
def night(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("changes")
    config = tmp / "config"
    config.mkdir()
    shutil.copy(CHANGES / "sources.toml", config / "sources.toml")
    for name in ("topics.toml", "places.toml"):
        if (CONFIG / name).exists():
            shutil.copy(CONFIG / name, config / name)
    settings = (CONFIG / "settings.toml").read_text("utf-8")
    settings = re.sub(r"(?m)^sites = .*$", f'sites = "{CHANGES}"', settings)
    # The moved source fails (as it should): not tried again after a 10 s pause.
    settings = re.sub(r"(?m)^source_retries = .*$", "source_retries = 0", settings)
    (config / "settings.toml").write_text(settings, "utf-8")
    data = tmp / "data"
    with ReplayServer(CHANGES) as replay:
        run_night(config, data, replay_address=replay.address, mode="replay")
    return data


def query(data: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        return con.execute(sql).fetchall()


def health(data: Path, source_id: str) -> dict:
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        cur = con.execute("select * from source_health where source_id = ?", [source_id])
        names = [d[0] for d in cur.description]
        return dict(zip(names, cur.fetchone(), strict=True))


def test_a_changed_url_scheme_is_flagged_on_the_first_night(night: Path) -> None:
    row = health(night, "renamed")
    kinds = row["errors_by_kind"]
    kinds = json.loads(kinds) if isinstance(kinds, str) else kinds
    assert kinds.get("pattern_miss") == 1  # the listing page whose links miss the pattern
    (message,) = query(night, "select message from run_errors "
                              "where source_id = 'renamed' and kind = 'pattern_miss'")[0:1][0]
    assert "3 links look like articles" in message and "/stories/2026/11/27/" in message


def test_the_new_shape_is_stored_because_its_pages_say_they_are_articles(night: Path) -> None:
    stored = {u for (u,) in query(night, "select url from articles where source_id = 'renamed'")}
    assert stored == {
        "https://renamed.example/stories/2026/11/27/v-bishkeke-zaderzhali-uchastnikov-mitinga"
        "-u-merii/",
        "https://renamed.example/stories/2026/11/26/pravozashchitniki-trebuyut-dopustit"
        "-advokatov-k-zaderzhannym/",
        "https://renamed.example/stories/2026/11/25/zhiteli-mikrorayona-protestuyut-protiv"
        "-snosa-domov/",
    }


def test_a_move_to_an_undeclared_host_fails_the_source_naming_the_new_host(night: Path) -> None:
    row = health(night, "moved")
    assert row["status"] == "failed"
    assert "every feed, sitemap and listing failed" in row["message"]
    assert "moved-new.example" in row["message"]
    assert query(night, "select count(*) from articles where source_id = 'moved'") == [(0,)]


def test_a_move_to_a_declared_host_is_followed(night: Path) -> None:
    assert health(night, "relocated")["status"] == "ok"
    stored = {u for (u,) in query(night, "select url from articles "
                                         "where source_id = 'relocated'")}
    assert stored == {
        "https://relocated-new.example/news/v-bishkeke-zaderzhali-uchastnikov-mitinga-u-merii"
        ".html",
        "https://relocated-new.example/news/pravozashchitniki-trebuyut-dopustit-advokatov-k"
        "-zaderzhannym.html",
    }
