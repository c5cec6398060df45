"""The mess of the real web, each case on a hand-made replay host (tests/replay/special),
crawled by the real Scrapy engine in a subprocess, then extracted from the WARC."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from crawlers.extraction import decode_html
from crawlers.plan import CrawlPlan
from crawlers.replay_server import ReplayServer
from flows.extract import extract_source
from tests.helpers import ROOT, SPECIAL

SOURCES = SPECIAL / "sources.toml"
MESS = "https://mess.example/news/"
CYRILLIC = re.compile("[а-яА-ЯёЁ]{4,}")
MOJIBAKE = re.compile("[ÀÂÃÐÑÒÓÔÕÖÝÞßàâãðñòóôõöýþ]|\ufffd")


def crawl_special(source: str, data: Path, server: ReplayServer,
                  plan: CrawlPlan | None = None) -> Path:
    out = data / source
    plan_file = data / "plan.json"
    (plan or CrawlPlan(download_timeout=1.5, retry_backoff=0.1)).write(plan_file)
    subprocess.run(
        [sys.executable, "-m", "crawlers.run_crawl", "--sources", str(SOURCES),
         "--source", source, "--data", str(data), "--out", str(out),
         "--warc", str(data / f"{source}.warc.gz"), "--plan", str(plan_file),
         "--replay", server.address],
        check=True, cwd=ROOT, timeout=300)
    return out


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


@pytest.fixture(scope="module")
def mess(tmp_path_factory: pytest.TempPathFactory) -> dict:
    data = tmp_path_factory.mktemp("mess")
    with ReplayServer(SPECIAL) as server:
        out = crawl_special("mess", data, server)
        requests = server.requests
    extract_source("mess", ["ru"], out, data)
    return {"out": out, "requests": requests,
            "errors": {e["url"].removeprefix(MESS): e for e in rows(out / "errors.jsonl")},
            "pages": rows(out / "pages.jsonl"),
            "articles": {a["url"].removeprefix(MESS): a for a in rows(out / "extracted.jsonl")},
            "extract_errors": {e["url"].removeprefix(MESS): e
                               for e in rows(out / "extract_errors.jsonl")},
            "stats": json.loads((out / "stats.json").read_text())}


@pytest.mark.parametrize("page", ["cp1251-no-header.html", "cp1251-meta-only.html",
                                  "wrong-header.html"])
def test_legacy_charsets_are_stored_as_readable_cyrillic(mess: dict, page: str) -> None:
    article = mess["articles"][page]
    assert article["encoding"] == "cp1251"
    assert CYRILLIC.search(article["title"]) and CYRILLIC.search(article["text"])
    assert not MOJIBAKE.search(article["title"] + article["text"])


def test_malformed_html_still_yields_its_article(mess: dict) -> None:
    assert "Сотрудники городской администрации" in mess["articles"]["malformed.html"]["text"]


@pytest.mark.parametrize(("page", "kind"), [
    ("gone-404.html", "http_404"), ("gone-410.html", "http_410"), ("slow.html", "timeout"),
    ("huge.html", "too_large"), ("loop-a.html", "redirect_loop"),
    ("members-only.html", "robots_disallowed"),
])
def test_bad_pages_get_one_readable_error(mess: dict, page: str, kind: str) -> None:
    error = mess["errors"][page]
    assert error["kind"] == kind
    assert len(error["message"]) > 20 and "127.0.0.1" not in error["message"]
    assert page not in mess["articles"]


def test_pdf_at_an_article_url_is_recorded_not_stored(mess: dict) -> None:
    assert mess["extract_errors"]["report.html"]["kind"] == "not_html"
    assert "application/pdf" in mess["extract_errors"]["report.html"]["message"]


def test_server_errors_and_429_succeed_on_retry(mess: dict) -> None:
    statuses = [(path, status) for _h, path, status in mess["requests"]
                if path in ("/news/flaky-500.html", "/news/throttled-429.html")]
    assert ("/news/flaky-500.html", 500) in statuses and ("/news/flaky-500.html", 200) in statuses
    assert ("/news/throttled-429.html", 429) in statuses
    assert ("/news/throttled-429.html", 200) in statuses
    assert {"flaky-500.html", "throttled-429.html"} <= set(mess["articles"])
    # the 429 carried Retry-After: 1, and the retry waited that long (not the 0.1 s backoff)
    assert mess["stats"]["steppewatch/retry_wait_seconds"] >= 1.0


def test_redirect_chain_stores_the_final_page_once(mess: dict) -> None:
    end = [p for p in mess["pages"] if p["url"] == MESS + "redirect-end.html"]
    assert len(end) == 1 and end[0]["requested_url"] == MESS + "redirect-start.html"


def test_the_same_article_under_several_urls_is_stored_once(mess: dict) -> None:
    same = [p for p in mess["pages"] if p["url"] == MESS + "same-story.html"]
    assert len(same) == 1
    fetched = [path for _h, path, _s in mess["requests"] if "same-story" in path]
    # tracking parameters, fragment, mobile host and AMP all canonicalise to one URL; the
    # copy under another path is fetched, recognised by its canonical link, and recorded
    assert sorted(fetched) == ["/news/same-story-copy.html", "/news/same-story.html"]
    duplicates = [e for e in mess["errors"].values() if e["kind"] == "duplicate"]
    assert len(duplicates) == 1 and "same article as" in duplicates[0]["message"]


def test_endless_archive_is_cut_and_recorded(mess: dict) -> None:
    archive = [path for _h, path, _s in mess["requests"] if path.startswith("/archive/")]
    assert archive == ["/archive/", "/archive/earlier/"]
    trap = mess["errors"]["https://mess.example/archive/earlier/"]
    assert trap["kind"] == "pagination_trap" and "not followed" in trap["message"]


def test_endless_calendar_walking_back_through_previous_links_is_cut(mess: dict) -> None:
    # /calendar/ links only the day before ("‹ Предыдущий день", rel=prev), and every day
    # below it is the same page: the second day adds no article, so the walk stops there
    calendar = [path for _h, path, _s in mess["requests"] if path.startswith("/calendar/")]
    assert calendar == ["/calendar/", "/calendar/previous/"]
    trap = mess["errors"]["https://mess.example/calendar/previous/"]
    assert trap["kind"] == "pagination_trap"
    assert "https://mess.example/calendar/previous/previous/ was not followed" in trap["message"]
    traps = [e for e in mess["errors"].values() if e["kind"] == "pagination_trap"]
    assert len(traps) == 2


def test_a_short_brief_marked_as_an_article_is_stored(mess: dict) -> None:
    brief = mess["articles"]["brief.html"]
    assert brief["text"] == ("Бишкекте милиция кызматкерлери түнкү рейд учурунда үч жаранды "
                             "кармады. Алар убактылуу кармоо жайына жайгаштырылды.")
    # its <h1> holds a script (an analytics snippet): the headline keeps none of it
    assert brief["title"] == "Бишкекте түнкү рейдде үч жаран кармалды"
    assert "brief.html" not in mess["extract_errors"]


def test_links_to_other_hosts_are_never_followed(mess: dict) -> None:
    assert {host for host, _p, _s in mess["requests"]} == {"mess.example"}


def test_crawl_delay_from_robots_txt_is_honoured(tmp_path: Path) -> None:
    with ReplayServer(SPECIAL) as server:
        out = crawl_special("polite", tmp_path, server)
    stats = json.loads((out / "stats.json").read_text())
    assert stats["steppewatch/crawl_delay/polite.example"] == 1.0
    assert len(rows(out / "pages.jsonl")) == 3


def test_decode_html_lets_the_bytes_overrule_a_wrong_header() -> None:
    text = "<p>Задержанных доставили в отдел полиции</p>"
    cp1251 = text.encode("cp1251")
    assert decode_html(cp1251, "text/html; charset=utf-8") == (text, "cp1251")
    assert decode_html(cp1251, "text/html") == (text, "cp1251")
    assert decode_html(text.encode("koi8_r"), "text/html") == (text, "koi8_r")
    assert decode_html(text.encode(), "text/html; charset=windows-1251") == (text, "utf-8")
    meta = '<meta charset="windows-1251">' + text
    assert decode_html(meta.encode("cp1251"), "text/html; charset=iso-8859-1")[1] == "cp1251"
