"""The workspace in a real browser (Playwright driving Debian's chromium) against the real
`steppewatch web` process: filters and permalinks, highlights, the hostile archived page,
a correction sent twice, and the exports opened in DuckDB.

The browser lives for this module only: Playwright's sync API runs an event loop in the
thread while it is open, which would break later tests of the same worker that run their
own (pytest-playwright keeps one open for the whole session, hence not used)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from playwright.sync_api import Browser, Page, Request, expect, sync_playwright

from tests.helpers import MALICIOUS_TITLE, served_workspace
from tests.workspace_data import build_workspace_warehouse
from warehouse.connection import open_readonly

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is not installed (make browser)")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                              args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    data = tmp_path_factory.mktemp("web")
    captures = build_workspace_warehouse(data)
    with served_workspace(data) as (base, _):
        yield {"data": data, "base": base, "captures": captures}


def _listed(page: Page) -> list[str]:
    return page.locator("li.story").evaluate_all("items => items.map(i => i.dataset.article)")


def _watch(page: Page, base: str) -> list[str]:
    """Every request the page makes that is not to the workspace itself."""
    outside: list[str] = []

    def seen(request: Request) -> None:
        if not request.url.startswith(base + "/") and not request.url.startswith("data:"):
            outside.append(request.url)

    page.on("request", seen)
    return outside


def test_filter_then_permalink_gives_the_same_stories(page: Page, workspace: dict) -> None:
    base = workspace["base"]
    outside = _watch(page, base)
    page.goto(f"{base}/stories")
    expect(page.locator("#total")).to_have_text("Stories: 5")
    page.get_by_label("Police and security services").check()
    page.locator("select[name=country]").select_option("KG")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{base}/stories?topic=police&country=KG")
    expect(page.locator("#total")).to_have_text("Stories: 4")
    shown = _listed(page)
    permalink = page.locator("#permalink").get_attribute("href")
    page.goto(f"{base}/stories")
    page.goto(base + permalink)
    assert _listed(page) == shown == ["a-wire2", "a-wire1", "a-evil", "a-hostile"]
    assert outside == []


def test_story_page_marks_each_topic_in_its_own_colour(page: Page, workspace: dict) -> None:
    page.goto(f"{workspace['base']}/stories/a-evil")
    torture = page.locator(".body mark.topic-2", has_text="пыткам")
    police = page.locator(".body mark.topic-0", has_text="милиции")
    expect(torture).to_have_count(1)
    expect(police).to_have_count(1)
    colours = [m.evaluate("m => getComputedStyle(m).backgroundColor") for m in (torture, police)]
    assert colours[0] != colours[1]
    assert "rgba(0, 0, 0, 0)" not in colours
    # The one tag the borderline model decided says so, with its probability.
    decided = page.locator("ul.why li", has_text="decided by the borderline model")
    expect(decided).to_have_count(1)
    expect(decided.locator(".badge")).to_have_text("Police and security services")
    expect(decided).to_be_visible()
    # The hostile headline is shown as text; its script never ran.
    expect(page.locator("h1.headline")).to_have_text(MALICIOUS_TITLE)
    assert page.title() == f"{MALICIOUS_TITLE} — steppewatch"  # not "pwned"
    expect(page.locator("hr")).to_have_count(0)  # the onerror handler never ran


def test_hostile_archived_page_runs_nothing_and_requests_nothing(page: Page,
                                                                 workspace: dict) -> None:
    base, capture = workspace["base"], workspace["captures"]["a-hostile"]
    outside = _watch(page, base)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/archive/{capture}")
    frame = page.frame_locator("iframe.archived")
    expect(frame.get_by_text("Родственники задержанного заявили")).to_be_visible()
    page.wait_for_timeout(1500)  # a <meta refresh> or a timer would have fired by now
    inner = next(f for f in page.frames if f.url.endswith(f"/archive/{capture}/page"))
    assert inner.evaluate("document.querySelectorAll('script, img, iframe, object, embed, "
                          "link, meta[http-equiv=refresh i], base, form').length") == 0
    assert inner.evaluate("Array.from(document.querySelectorAll('*')).flatMap("
                          "e => Array.from(e.attributes)).filter("
                          "a => a.name.startsWith('on')).length") == 0
    assert page.url == f"{base}/archive/{capture}" and inner.url.endswith("/page")
    assert outside == [] and dialogs == []
    assert "pwned" not in page.title()


def test_a_correction_sent_twice_is_stored_once(page: Page, workspace: dict) -> None:
    page.goto(f"{workspace['base']}/stories/a-tj")
    form = page.locator("section.corrections form")
    form.locator("select[name=topic]").select_option("police")
    form.get_by_label("this topic is missing").check()
    form.locator("input[name=note]").fill("ОМОН увёл пикетчика")
    sent = {name: form.locator(f"[name={name}]").input_value()
            for name in ("csrf", "key", "topic", "note")}
    form.get_by_role("button").click()
    expect(page.locator(".corrections .notice")).to_have_text("Correction recorded.")
    # The browser sends the same form again (a double click, a retry): stored once.
    again = page.request.post(f"{workspace['base']}/stories/a-tj/corrections",
                              form={**sent, "verdict": "missing"})
    assert again.url.endswith("/stories/a-tj?correction=already#corrections") or \
        "correction=already" in again.url
    with open_readonly(workspace["data"]) as con:
        rows = con.execute("SELECT topic, verdict, note FROM tag_feedback "
                           "WHERE article_id = 'a-tj'").fetchall()
    assert rows == [("police", "missing", "ОМОН увёл пикетчика")]
    page.goto(f"{workspace['base']}/corrections")
    expect(page.locator("table.health tbody tr")).to_have_count(1)


def test_a_story_to_check_opens_with_its_topic_ready_to_add(page: Page, workspace: dict) -> None:
    """From the stories a topic nearly matched, a story opens with that topic and "missing"
    chosen in its correction form; a hostile headline in the list stays text."""
    base = workspace["base"]
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{base}/missed")
    rows = page.locator("li.near-miss")
    assert rows.evaluate_all("items => items.map(i => i.dataset.article)") == ["a-plain", "a-evil"]
    expect(rows.nth(1).locator("h2")).to_contain_text("<script>")
    assert page.locator("hr").count() == 0 and "pwned" not in page.title() and dialogs == []
    page.locator("select[name=topic]").select_option("police")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#total")).to_have_text("Stories to check: 0")
    assert page.url == f"{base}/missed?topic=police"
    page.goto(f"{base}/missed")
    rows.first.locator("h2 a").click()
    form = page.locator("section.corrections form")
    expect(form.locator("select[name=topic]")).to_have_value("protest")
    expect(form.get_by_label("this topic is missing")).to_be_checked()
    expect(page.locator("#near")).to_contain_text("Жители")


@pytest.mark.parametrize("fmt,reader", [("csv", "read_csv"), ("json", "read_json"),
                                        ("parquet", "read_parquet")])
def test_exports_download_and_open_in_duckdb(page: Page, workspace: dict, tmp_path: Path,
                                             fmt: str, reader: str) -> None:
    page.goto(f"{workspace['base']}/stories?topic=protest")
    with page.expect_download() as download:
        page.get_by_role("link", name=fmt.upper(), exact=True).click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    rows = duckdb.sql(f"SELECT article_id, outlet FROM {reader}('{path}')").fetchall()
    assert rows == [("a-wire2", "24.kg"), ("a-wire1", "Kloop"), ("a-tj", "Asia-Plus")]
