"""The HTML report in a real browser (headless Chromium): readable, highlighted, inert."""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from flows.alerts.delivery import rule_report
from tests.helpers import REPORT_RULE, load_articles, report_articles
from warehouse.connection import open_warehouse

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is not installed (make browser)")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    return subprocess.run([str(CHROMIUM), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=True)


def test_report_renders_in_chromium_and_runs_no_scraped_script(tmp_path: Path) -> None:
    load_articles(tmp_path, "run1", report_articles())
    with open_warehouse(tmp_path) as con:
        rendered = rule_report(con, REPORT_RULE, "file", "run1", datetime.now(UTC))
    page = tmp_path / "report.html"
    page.write_text(rendered.html, encoding="utf-8")

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
