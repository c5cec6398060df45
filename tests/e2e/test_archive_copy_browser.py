"""The archived copy in a real browser (Debian's headless Chromium): the hostile page,
sanitised and framed as the workspace frames it, runs nothing and requests nothing.

Every request the browser makes is answered by a Playwright route in this process, and
host names resolve to nothing, so no traffic leaves the machine: the two documents are
served, every other request is recorded and refused."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Route, sync_playwright

from flows.web.archive_copy import ARCHIVE_FRAME_CSP, ARCHIVE_FRAME_SANDBOX, sanitised_page
from tests.helpers import ROOT

CHROMIUM = Path("/usr/bin/chromium")
ORIGIN = "http://127.0.0.1:9"  # never connected to: the routes answer first
FLAGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update",
         "--host-resolver-rules=MAP * ~NOTFOUND"]
HOSTILE = (ROOT / "tests" / "data" / "hostile_page.html").read_bytes()
PAGE_URL = "https://kloop.kg/2026/11/01/pytki/"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is not installed (make browser)")


@dataclass
class Visit:
    requests: list[str] = field(default_factory=list)  # all but the two documents
    title: str = ""
    text: str = ""
    link_shows: str = ""  # what our stylesheet adds after the first link with a URL


def _parent(frame_sandbox: str | None) -> str:
    sandbox = "" if frame_sandbox is None else f' sandbox="{frame_sandbox}"'
    return (f'<!DOCTYPE html><title>workspace</title><iframe{sandbox} src="/frame" '
            'width="800" height="600"></iframe>')


def _visit(frame: bytes, headers: dict[str, str], frame_sandbox: str | None) -> Visit:
    """Open a workspace page framing `frame` (served with `headers`); what happened."""
    visit = Visit()

    def answer(route: Route) -> None:
        url = route.request.url
        if url == f"{ORIGIN}/":
            route.fulfill(status=200, content_type="text/html",
                          body=_parent(frame_sandbox))
        elif url == f"{ORIGIN}/frame":
            route.fulfill(status=200, headers={"content-type": "text/html; charset=utf-8",
                                               **headers}, body=frame)
        else:
            visit.requests.append(url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            context = browser.new_context()
            context.route("**/*", answer)
            tab = context.new_page()
            tab.goto(f"{ORIGIN}/", wait_until="load")
            tab.wait_for_timeout(1500)  # time for a refresh, a lazy image, a timer
            framed = tab.main_frame.child_frames[0]
            if framed.url == f"{ORIGIN}/frame":  # not navigated away (by a refresh)
                visit.title = framed.evaluate("document.title")
                visit.text = framed.locator("body").inner_text()
                visit.link_shows = framed.evaluate(
                    "(a => a ? getComputedStyle(a, '::after').content : '')"
                    "(document.querySelector('a[data-href]'))")
        finally:
            browser.close()
    return visit


def _workspace_frame(body: bytes) -> Visit:
    return _visit(body, {"content-security-policy": ARCHIVE_FRAME_CSP}, ARCHIVE_FRAME_SANDBOX)


def test_the_unprotected_page_would_run_and_load() -> None:
    """The harness sees what the hostile page does when nothing stops it."""
    visit = _visit(HOSTILE, {}, None)
    assert any("evil.example/refresh" in url for url in visit.requests)
    assert any("evil.example/beacon" in url for url in visit.requests)
    assert any("evil.example/photo" in url for url in visit.requests)


def test_the_frame_policy_alone_stops_the_raw_page() -> None:
    """The browser's wall without the sanitiser: the raw page under the CSP, sandboxed."""
    visit = _workspace_frame(HOSTILE)
    assert visit.requests == []
    assert visit.title == "Пытки в ИВС | Враждебная страница"  # its script never ran


def test_the_sanitised_page_shows_its_text_and_requests_nothing() -> None:
    page = sanitised_page(HOSTILE, "text/html; charset=utf-8", PAGE_URL).encode()
    visit = _workspace_frame(page)
    assert visit.requests == []
    assert "Пытки в изоляторе временного содержания" in visit.text
    assert "[image: Здание ИВС]" in visit.text
    # our stylesheet (allowed by its hash) shows a link's URL after its text
    assert visit.link_shows == '" <https://kloop.kg/blog/2026/11/01/report/>"'


def test_a_click_on_a_link_goes_nowhere() -> None:
    page = sanitised_page(HOSTILE, "text/html; charset=utf-8", PAGE_URL).encode()
    seen: list[str] = []

    def answer(route: Route) -> None:
        if route.request.url == f"{ORIGIN}/":
            route.fulfill(status=200, content_type="text/html",
                          body=_parent(ARCHIVE_FRAME_SANDBOX))
        elif route.request.url == f"{ORIGIN}/frame":
            route.fulfill(status=200, headers={"content-type": "text/html; charset=utf-8",
                                               "content-security-policy": ARCHIVE_FRAME_CSP},
                          body=page)
        else:
            seen.append(route.request.url)
            route.abort()

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        try:
            context = browser.new_context()
            context.route("**/*", answer)
            tab = context.new_page()
            tab.goto(f"{ORIGIN}/", wait_until="load")
            framed = next(f for f in tab.frames if f.url.endswith("/frame"))
            framed.get_by_text("докладе правозащитников").click()
            tab.wait_for_timeout(500)
            assert framed.url == f"{ORIGIN}/frame" and tab.url == f"{ORIGIN}/"
        finally:
            browser.close()
    assert seen == []


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    yield
