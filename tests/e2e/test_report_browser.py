"""The HTML report in a real browser (headless Chromium): readable, highlighted per topic,
inert."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from flows.alerts.delivery import rule_report
from tests.helpers import REPORT_RULE, load_articles, report_articles
from warehouse.connection import open_warehouse

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
BASE = "https://monitor.example.org"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is not installed (make browser)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=True)


def report_page(tmp_path: Path, base_url: str = "") -> Path:
    load_articles(tmp_path, "run1", report_articles())
    with open_warehouse(tmp_path) as con:
        rendered = rule_report(con, REPORT_RULE, "file", "run1", datetime.now(UTC), base_url)
    page = tmp_path / "report.html"
    page.write_text(rendered.html, encoding="utf-8")
    return page


def test_report_renders_in_chromium_and_runs_no_scraped_script(tmp_path: Path) -> None:
    page = report_page(tmp_path)
    shot = tmp_path / "report.png"
    chromium(tmp_path, "--window-size=1000,1600", f"--screenshot={shot}", page.as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert title == "steppewatch — rights — run1"  # the headline's script never ran
    assert "<script" not in dom and "<img" not in dom and "<hr" not in dom
    assert "&lt;script&gt;document.title=\"pwned\"&lt;/script&gt;" in dom  # shown as text
    assert '<a href="https://example.test/kloop/a-wire1">В Бишкеке задержали участников акции' \
        in dom
    assert "<mark>пыткам</mark>" in dom and "<mark>милиции</mark>" in dom
    assert "Also reported by:" in dom and "<svg" in dom


def test_topics_are_told_apart_and_the_headline_stands_alone(tmp_path: Path) -> None:
    """As laid out by Chromium: each topic's highlighted words have their own background
    (the legend's), the headline sits above the snippet, links go where they say."""
    page = report_page(tmp_path, BASE)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            tab = browser.new_page(viewport={"width": 1000, "height": 1600})
            tab.goto(page.as_uri())
            marks = tab.evaluate("""() => [...document.querySelectorAll('.snippet mark')]
                .map(m => [m.textContent, m.parentElement.title,
                           getComputedStyle(m).backgroundColor])""")
            legend = tab.evaluate("""() => Object.fromEntries(
                [...document.querySelectorAll('.legend mark')]
                .map(m => [m.textContent, getComputedStyle(m).backgroundColor]))""")
            layout = tab.evaluate("""() => [...document.querySelectorAll('.story')].map(s => {
                const h = s.querySelector('.headline').getBoundingClientRect();
                const p = s.querySelector('.snippet').getBoundingClientRect();
                return [h.bottom <= p.top, h.left === p.left]; })""")
            wire = tab.locator("#story-a-wire1")
            links = [(a.text_content(), a.get_attribute("href")) for a in wire.locator("a").all()]
            title = tab.title()
        finally:
            browser.close()
    colour = {word: bg for word, _topic, bg in marks}
    assert {topic for _w, topic, _bg in marks} == {"police", "protest", "torture"}
    assert len(set(legend.values())) == 3 and "rgb(255, 224, 102)" not in legend.values()
    assert colour["пыткам"] == legend["torture"] and colour["изоляторе"] == legend["police"]
    assert colour["милиции"] == legend["police"] and colour["акции"] == legend["protest"]
    assert layout and all(above and aligned for above, aligned in layout)
    assert links == [("В Бишкеке задержали участников акции", f"{BASE}/stories/a-wire1"),
                     ("live page", "https://example.test/kloop/a-wire1"),
                     ("archived copy", f"{BASE}/archive/c-a-wire1"),
                     ("24.kg", f"{BASE}/stories/a-wire2"),  # the reprint, with its own copy
                     ("live page", "https://example.test/24kg/a-wire2"),
                     ("archived copy", f"{BASE}/archive/c-a-wire2")]
    assert title == "steppewatch — rights — run1"
