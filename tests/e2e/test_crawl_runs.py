"""Whole runs as a user types them (`steppewatch --config DIR demo`) over the hand-made
replay hosts of tests/replay/special: the mess of the real web, incremental nights with a
simulated clock, and a `--since` backfill."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.helpers import CONFIG, SPECIAL, run_cli
from warehouse.connection import WAREHOUSE_FILE
from warehouse.sql import statement

MESS = "https://mess.example/news/"
DAILY = "https://daily.example/news/"
CYRILLIC = re.compile("[а-яА-ЯёЁ]{4,}")


def special_config(tmp_path: Path) -> tuple[Path, Path]:
    """A config folder with the test-only sources, and a copy of the special sites to serve."""
    sites = tmp_path / "sites"
    shutil.copytree(SPECIAL, sites, ignore=shutil.ignore_patterns("sources.toml"))
    config = tmp_path / "config"
    config.mkdir()
    shutil.copy(SPECIAL / "sources.toml", config / "sources.toml")
    for name in ("topics.toml", "places.toml"):
        if (CONFIG / name).exists():
            shutil.copy(CONFIG / name, config / name)
    settings = (CONFIG / "settings.toml").read_text("utf-8")
    for key, value in (("sites", f'"{sites}"'), ("download_timeout_seconds", "1.5"),
                       ("retry_backoff_seconds", "0.1")):
        settings = re.sub(rf"(?m)^{key} = .*$", f"{key} = {value}", settings)
    (config / "settings.toml").write_text(settings, "utf-8")
    return config, sites


def demo(config: Path, data: Path, prefect_api: str, *args: str, now: str | None = None,
         check: bool = True) -> str:
    env = {"PREFECT_API_URL": prefect_api, **({"STEPPEWATCH_NOW": now} if now else {})}
    return run_cli(["--config", str(config), "--data", str(data), "demo", *args], env=env,
                   check=check).stdout


def query(data: Path, sql: str, params: dict | None = None) -> list[tuple]:
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


def run_ids(data: Path) -> list[str]:
    return [r[0] for r in query(data, "select run_id from crawl_runs order by started_at")]


# ------------------------------------------------------------------ the mess, end to end


def test_a_run_over_the_mess_stores_good_pages_and_one_error_per_bad_page(
        tmp_path: Path, prefect_api: str) -> None:
    config, _sites = special_config(tmp_path)
    data = tmp_path / "data"
    demo(config, data, prefect_api, "--source", "mess")
    stored = {url.removeprefix(MESS) for (url,) in query(data, "select url from articles")}
    assert stored == {"good-one.html", "good-two.html", "cp1251-no-header.html",
                      "cp1251-meta-only.html", "wrong-header.html", "malformed.html",
                      "flaky-500.html", "throttled-429.html", "redirect-end.html",
                      "same-story.html", "brief.html"}
    errors = query(data, "select url, kind, message from run_errors order by url")
    by_url = {url.removeprefix(MESS): kind for url, kind, _m in errors}
    assert len(by_url) == len(errors)  # one row per page
    assert {k: v for k, v in by_url.items() if k != "same-story.html"
            and k != "same-story-copy.html"} == {
        "gone-404.html": "http_404", "gone-410.html": "http_410", "slow.html": "timeout",
        "huge.html": "too_large", "report.html": "not_html", "loop-a.html": "redirect_loop",
        "members-only.html": "robots_disallowed",
        "https://mess.example/archive/earlier/": "pagination_trap",
        "https://mess.example/calendar/previous/": "pagination_trap",
    }
    assert "duplicate" in by_url.values()
    assert all(len(message) > 20 and "127.0.0.1" not in message for _u, _k, message in errors)
    for title, text in query(data, "select title, text from articles where encoding = 'cp1251'"):
        assert CYRILLIC.search(title) and CYRILLIC.search(text)
    assert len(query(data, "select 1 from articles where encoding = 'cp1251'")) == 3
    gaps = dict(query(data, "select url, reason from coverage_gaps"))
    assert gaps[MESS + "gone-404.html"] == "http_404"
    assert gaps[MESS + "loop-a.html"] == "redirect_loop"
    assert MESS + "redirect-start.html" not in gaps and MESS + "same-story.html" not in gaps
    by_kind, gap_count = query(data, "select errors_by_kind, coverage_gaps from source_runs")[0]
    assert json.loads(by_kind)["http_404"] == 1 and gap_count == len(gaps) == 7


# ------------------------------------------------------------------ incremental nights

NIGHT_1, NIGHT_2, NEXT_DAY = ("2026-11-29T02:00:00+00:00", "2026-11-29T03:00:00+00:00",
                              "2026-11-30T03:00:00+00:00")


@pytest.fixture(scope="module")
def three_nights(tmp_path_factory: pytest.TempPathFactory, prefect_api: str) -> Path:
    """Three runs of the daily source: two on the same night, one 24 h later after an edit
    of a recent article."""
    tmp = tmp_path_factory.mktemp("incremental")
    config, sites = special_config(tmp)
    data = tmp / "data"
    demo(config, data, prefect_api, "--source", "daily", now=NIGHT_1)
    demo(config, data, prefect_api, "--source", "daily", now=NIGHT_2)
    edited = sites / "daily.example" / "news" / "fresh-one.html"
    edited.write_text(edited.read_text("utf-8").replace(
        "Эксперты напоминают", "Редакция уточнила: эксперты напоминают"), "utf-8")
    demo(config, data, prefect_api, "--source", "daily", now=NEXT_DAY)
    return data


def captures_of(data: Path, run_id: str) -> list[tuple[str, str, int]]:
    return query(data, "select kind, url, http_status from captures where run_id = $run "
                       "order by kind, url", {"run": run_id})


def test_second_night_fetches_no_article_and_feeds_answer_304(three_nights: Path) -> None:
    first, second, _third = run_ids(three_nights)
    assert {k for k, _u, _s in captures_of(three_nights, first)} >= {"feed", "sitemap",
                                                                      "article"}
    second_captures = captures_of(three_nights, second)
    assert {k for k, _u, _s in second_captures} == {"robots", "feed", "sitemap", "listing"}
    assert {(k, s) for k, _u, s in second_captures if k in ("feed", "sitemap")} == {
        ("feed", 304), ("sitemap", 304)}
    assert query(three_nights, "select article_pages, not_modified, skipped_seen, articles_new "
                               "from source_runs where run_id = $run", {"run": second}) == [
        (0, 2, 5, 0)]


def test_a_day_later_only_recent_articles_are_revisited(three_nights: Path) -> None:
    _first, _second, third = run_ids(three_nights)
    fetched = [(k, u.removeprefix(DAILY)) for k, u, _s in captures_of(three_nights, third)
               if k in ("article", "revisit")]
    assert fetched == [("revisit", "fresh-one.html"), ("revisit", "fresh-two.html")]
    assert query(three_nights, "select revisited, versions_new, articles_new from source_runs "
                               "where run_id = $run", {"run": third}) == [(2, 1, 0)]


def test_a_changed_text_is_stored_as_a_new_version(three_nights: Path) -> None:
    versions = query(three_nights, "select a.url, count(*), bool_or(v.text like 'Редакция%' "
                                   "or v.text like '%Редакция уточнила%') "
                                   "from article_versions v join articles a using (article_id) "
                                   "group by a.url order by a.url")
    assert (DAILY + "fresh-one.html", 2, True) in versions
    assert all(n == 1 for url, n, _e in versions if not url.endswith("fresh-one.html"))


def test_stale_source_flag_is_one_statement(three_nights: Path) -> None:
    _first, _second, third = run_ids(three_nights)
    with duckdb.connect(str(three_nights / WAREHOUSE_FILE), read_only=True) as con:
        flagged = con.execute(statement("health/stale_sources"),
                              {"run_id": third, "stale_runs": 2}).fetchall()
        assert [row[0] for row in flagged] == ["daily"]
        assert con.execute(statement("health/stale_sources"),
                           {"run_id": third, "stale_runs": 3}).fetchall() == []


# ------------------------------------------------------------------ backfill


def test_since_backfill_reaches_every_newer_article_and_none_older(
        tmp_path: Path, prefect_api: str) -> None:
    config, sites = special_config(tmp_path)
    data = tmp_path / "data"
    demo(config, data, prefect_api, "--source", "archive", "--since", "2022-01-01")
    fixtures = {f"https://archive.example/{p.parent.relative_to(sites / 'archive.example')}/"
                for p in (sites / "archive.example").glob("20*/*/*/*/index.html")}
    newer = {url for url in fixtures if url.split("/")[3] >= "2022"}
    assert len(newer) == 6 and len(fixtures) == 10
    assert {u for (u,) in query(data, "select url from articles")} == newer
    fetched = {u for (u,) in query(data, "select url from captures where kind = 'article'")}
    assert fetched == newer  # the older ones were never even requested
    assert query(data, "select since::VARCHAR from crawl_runs") == [("2022-01-01",)]


def test_since_must_be_a_date(tmp_path: Path, prefect_api: str) -> None:
    config, _sites = special_config(tmp_path)
    proc = run_cli(["--config", str(config), "--data", str(tmp_path / "d"), "demo",
                    "--source", "archive", "--since", "last week"],
                   env={"PREFECT_API_URL": prefect_api}, check=False)
    assert proc.returncode != 0
    assert "--since 'last week' is not a date; use YYYY-MM-DD" in proc.stderr
