"""The replay server over the committed replay web (tests/replay/sites).

Everything runs on 127.0.0.1: each request names the real host in `Host` or
`X-Replay-Host`, like crawlers/replay_routing.py does.
"""

from __future__ import annotations

import filecmp
import html
import http.client
import importlib.util
import re
import sys
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from crawlers.replay_server import ReplayServer
from tests.helpers import ROOT as REPO
from tests.helpers import SITES

SOURCES = [s for s in tomllib.loads((REPO / "config" / "sources.toml").read_text("utf-8"))["source"]
           if s["family"] != "telegram"]  # t.me's pages: tests/unit/test_telegram.py
BY_ID = {s["id"]: s for s in SOURCES}
DELETED = "https://kloop.kg/blog/2026/11/15/udalennaya-statya/"
GALLERY = "https://rus.azattyq.org/a/fotogalereya/33299999.html"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "dc": "http://purl.org/dc/elements/1.1/",
}
CYRILLIC = re.compile(r"[а-яА-ЯёЁ]{4,}")


@dataclass
class Response:
    status: int
    headers: Message
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@pytest.fixture(scope="module")
def server() -> Iterator[ReplayServer]:
    with ReplayServer(SITES, port=0) as srv:
        yield srv


def fetch(
    srv: ReplayServer,
    url: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    host_header: str = "X-Replay-Host",
) -> Response:
    """Request a real URL from the replay server, naming its host in `host_header`."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    try:
        conn.request(method, target, headers={host_header: parts.netloc, **(headers or {})})
        resp = conn.getresponse()
        return Response(resp.status, resp.headers, resp.read())
    finally:
        conn.close()


def xml_root(srv: ReplayServer, url: str) -> ET.Element:
    resp = fetch(srv, url)
    assert resp.status == 200, url
    return ET.fromstring(resp.body)


def sitemap_urls(srv: ReplayServer, url: str) -> set[str]:
    """Page URLs of a sitemap, following sitemap indexes."""
    root = xml_root(srv, url)
    locs = [loc.text or "" for loc in root.iterfind("sm:*/sm:loc", NS)]
    if root.tag == f"{{{NS['sm']}}}sitemapindex":
        return set().union(*(sitemap_urls(srv, loc) for loc in locs))
    assert root.tag == f"{{{NS['sm']}}}urlset", url
    return set(locs)


def feed_items(srv: ReplayServer, url: str) -> list[ET.Element]:
    root = xml_root(srv, url)
    assert root.tag == "rss" and root.get("version") == "2.0", url
    return root.findall("channel/item")


def links(page_url: str, body: str) -> set[str]:
    """Absolute targets of the <a href> links of a page (what a crawler follows)."""
    hrefs = re.findall(r'<a\s[^>]*?href="([^"]*)"', body)
    return {urljoin(page_url, html.unescape(h)) for h in hrefs}


def discovered(srv: ReplayServer, source: dict[str, Any]) -> tuple[set[str], set[str]]:
    """Article URLs a crawl finds in (feeds + sitemaps, listing pages) of a source."""
    pattern = re.compile(source["article_pattern"])
    from_feeds: set[str] = set()
    for feed in source["feeds"]:
        from_feeds |= {item.findtext("link", "") for item in feed_items(srv, feed)}
    for sitemap in source["sitemaps"]:
        from_feeds |= sitemap_urls(srv, sitemap)
    from_listings: set[str] = set()
    for listing in source["listings"]:
        resp = fetch(srv, listing)
        assert resp.status == 200, listing
        from_listings |= {u for u in links(listing, resp.text) if pattern.fullmatch(u)}
    return from_feeds, from_listings


def meta(body: str, attr: str, name: str) -> str | None:
    match = re.search(rf'<meta {attr}="{re.escape(name)}" content="([^"]*)"', body)
    return html.unescape(match.group(1)) if match else None


# ------------------------------------------------------------------ the replay web


def test_every_source_has_a_site() -> None:
    hosts = {p.name for p in SITES.iterdir() if p.is_dir()}
    missing = {s["id"] for s in SOURCES if s["allowed_hosts"][0] not in hosts}
    assert not missing, f"no replay site for {sorted(missing)}: run python tests/replay/build.py"


def test_robots_txt(server: ReplayServer) -> None:
    resp = fetch(server, "https://kloop.kg/robots.txt")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("text/plain")
    assert "User-agent: *" in resp.text
    assert "Disallow: /wp-admin/" in resp.text
    assert "Sitemap: https://kloop.kg/wp-sitemap.xml" in resp.text.splitlines()


@pytest.mark.parametrize("source", SOURCES, ids=[s["id"] for s in SOURCES])
def test_robots_txt_names_sitemaps(server: ReplayServer, source: dict[str, Any]) -> None:
    resp = fetch(server, f"https://{source['allowed_hosts'][0]}/robots.txt")
    assert resp.status == 200
    assert "User-agent: *" in resp.text
    assert re.search(r"^Disallow: /\S+", resp.text, re.M)
    for sitemap in source["sitemaps"]:
        assert f"Sitemap: {sitemap}" in resp.text.splitlines()


def test_feed_lists_articles_that_are_served(server: ReplayServer) -> None:
    items = feed_items(server, "https://kloop.kg/feed/")
    pattern = re.compile(BY_ID["kloop"]["article_pattern"])
    assert len(items) >= 11
    for item in items:
        link = item.findtext("link", "")
        assert pattern.fullmatch(link), link
        assert item.findtext("title") and item.findtext("guid") and item.findtext("description")
        assert item.findtext("dc:creator", namespaces=NS)
        assert parsedate_to_datetime(item.findtext("pubDate", "")).year == 2026
        resp = fetch(server, link)
        assert resp.status == (404 if link == DELETED else 200), link
    assert DELETED in {item.findtext("link") for item in items}


def test_sitemap_index_leads_to_articles(server: ReplayServer) -> None:
    index = xml_root(server, "https://www.azattyq.org/sitemap.xml")
    assert index.tag == f"{{{NS['sm']}}}sitemapindex"
    months = [s.findtext("sm:loc", "", NS) for s in index.iterfind("sm:sitemap", NS)]
    assert months and all(s.findtext("sm:lastmod", "", NS) for s in index)
    urls = sitemap_urls(server, "https://www.azattyq.org/sitemap.xml")
    pattern = re.compile(BY_ID["azattyq"]["article_pattern"])
    assert len(urls) >= 11 and all(pattern.fullmatch(u) for u in urls)
    for url in sorted(urls):
        resp = fetch(server, url)
        assert resp.status == 200, url
        assert f'<link rel="canonical" href="{url}">' in resp.text


@pytest.mark.parametrize("source", SOURCES, ids=[s["id"] for s in SOURCES])
def test_every_article_is_listed_and_in_a_feed_or_sitemap(
    server: ReplayServer, source: dict[str, Any]
) -> None:
    from_feeds, from_listings = discovered(server, source)
    assert len(from_listings) >= 5
    if source["feeds"] or source["sitemaps"]:
        assert from_feeds == from_listings


@pytest.mark.parametrize("source", SOURCES, ids=[s["id"] for s in SOURCES])
def test_article_pages_look_like_articles(server: ReplayServer, source: dict[str, Any]) -> None:
    _, urls = discovered(server, source)
    for url in sorted(urls - {DELETED, GALLERY}):
        resp = fetch(server, url)
        assert resp.status == 200, url
        charset = resp.headers.get_content_charset() or "utf-8"
        body = resp.body.decode(charset)
        assert 15_000 <= len(resp.body) <= 60_000, (url, len(resp.body))
        assert re.search(r'<html lang="(ru|en|kk|ky|tg|uz|tk)"', body), url
        assert re.search(r'<link rel="canonical" href="([^"]+)"', body).group(1) == url  # type: ignore[union-attr]
        assert meta(body, "property", "og:url") == url
        assert meta(body, "property", "og:title") and meta(body, "name", "description")
        assert meta(body, "property", "article:published_time")
        assert meta(body, "name", "author")
        assert body.count("<a ") >= 40, "pages carry real-site boilerplate"
        assert len(re.findall(r"<p[ >]", body)) >= 4


def test_listing_has_second_page(server: ReplayServer) -> None:
    first = fetch(server, "https://www.azattyq.org/")
    second = fetch(server, "https://www.azattyq.org/?p=1")
    assert first.status == second.status == 200
    assert 'rel="next" href="/?p=1"' in first.text
    assert 'rel="prev"' in second.text and first.body != second.body
    wordpress = fetch(server, "https://kloop.kg/page/2/")
    assert wordpress.status == 200 and "paged-2" in wordpress.text


def test_deleted_article_answers_404(server: ReplayServer) -> None:
    resp = fetch(server, DELETED)
    assert resp.status == 404
    assert DELETED in links("https://kloop.kg/", fetch(server, "https://kloop.kg/").text)


def test_gallery_page_has_no_article_text(server: ReplayServer) -> None:
    resp = fetch(server, GALLERY)
    assert resp.status == 200
    main = resp.text.split("<h1", 1)[1].split('<div class="share share--bottom"', 1)[0]
    assert main.count("<figcaption") == 3
    assert "<p" not in main, "a gallery has captions, no article text"
    assert "<h1" in resp.text
    assert GALLERY in sitemap_urls(server, "https://rus.azattyq.org/sitemap.xml")
    assert GALLERY in links(
        "https://rus.azattyq.org/", fetch(server, "https://rus.azattyq.org/").text
    )


def test_cp1251_page_is_served_in_windows_1251(server: ReplayServer) -> None:
    rules = tomllib.loads((SITES / "24.kg" / "_replay.toml").read_text("utf-8"))["paths"]
    paths = [p for p, rule in rules.items() if rule.get("encoding") == "windows-1251"]
    assert len(paths) == 1
    url = f"https://24.kg{paths[0]}"
    resp = fetch(server, url)
    assert resp.status == 200
    assert resp.headers["Content-Type"] == "text/html; charset=windows-1251"
    with pytest.raises(UnicodeDecodeError):
        resp.body.decode("utf-8")
    text = resp.body.decode("cp1251")
    assert '<meta charset="windows-1251">' in text
    assert len(CYRILLIC.findall(text)) > 100
    assert url in {item.findtext("link") for item in feed_items(server, "https://24.kg/rss/")}


def test_conditional_get(server: ReplayServer) -> None:
    first = fetch(server, "https://kloop.kg/feed/")
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and modified
    again = fetch(server, "https://kloop.kg/feed/", headers={"If-None-Match": etag})
    assert again.status == 304 and again.body == b""
    since = fetch(server, "https://kloop.kg/feed/", headers={"If-Modified-Since": modified})
    assert since.status == 304
    changed = fetch(server, "https://kloop.kg/feed/", headers={"If-None-Match": '"other"'})
    assert changed.status == 200 and changed.body == first.body


def test_content_types(server: ReplayServer) -> None:
    assert fetch(server, "https://www.azattyq.org/").headers["Content-Type"] == (
        "text/html; charset=utf-8"
    )
    assert fetch(server, "https://www.azattyq.org/sitemap.xml").headers["Content-Type"] == (
        "application/xml"
    )


def test_unknown_host_and_path_answer_404(server: ReplayServer) -> None:
    unknown_host = fetch(server, "https://example.invalid/")
    assert unknown_host.status == 404 and len(unknown_host.body) < 200
    unknown_path = fetch(server, "https://kloop.kg/no/such/page/")
    assert unknown_path.status == 404 and unknown_path.headers["Content-Type"].startswith(
        "text/plain"
    )
    assert fetch(server, "https://kloop.kg/_replay.toml").status == 404
    assert fetch(server, "https://kloop.kg/../24.kg/robots.txt").status == 404


def test_host_header_routing(server: ReplayServer) -> None:
    by_host = fetch(server, "https://kloop.kg/robots.txt", host_header="Host")
    assert by_host.status == 200 and "kloop.kg" in by_host.text
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", "/robots.txt", headers={"Host": "24.kg:443", "X-Replay-Host": "kloop.kg"})
    resp = conn.getresponse()
    assert resp.status == 200 and "kloop.kg" in resp.read().decode()
    conn.close()


def test_head_has_headers_but_no_body(server: ReplayServer) -> None:
    get = fetch(server, "https://cabar.asia/ru/")
    head = fetch(server, "https://cabar.asia/ru/", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.headers["Content-Length"] == str(len(get.body))
    assert head.headers["ETag"] == get.headers["ETag"]


def test_requests_are_recorded(server: ReplayServer) -> None:
    server.clear_requests()
    fetch(server, "https://kloop.kg/robots.txt")
    fetch(server, "https://www.azattyq.org/?p=1", method="HEAD")
    fetch(server, "https://example.invalid/x")
    fetch(server, DELETED)
    assert server.requests == [
        ("kloop.kg", "/robots.txt", 200),
        ("www.azattyq.org", "/?p=1", 200),
        ("example.invalid", "/x", 404),
        ("kloop.kg", "/blog/2026/11/15/udalennaya-statya/", 404),
    ]
    server.clear_requests()
    assert server.requests == []


def test_root_redirects_of_multilingual_sites(server: ReplayServer) -> None:
    resp = fetch(server, "https://cabar.asia/")
    assert resp.status == 301 and resp.headers["Location"] == "https://cabar.asia/ru/"
    resp = fetch(server, "https://asiaplustj.info/")  # the old host moved
    assert resp.status == 301 and resp.headers["Location"] == "https://asiaplus.news/"


# ------------------------------------------------------------------ overrides, on a tmp site


@pytest.fixture()
def tmp_server(tmp_path: Path) -> Iterator[ReplayServer]:
    site = tmp_path / "example.org"
    (site / "news").mkdir(parents=True)
    (site / "index.html").write_text("<p>home</p>", "utf-8")
    (site / "index@page=2.html").write_text("<p>page two</p>", "utf-8")
    (site / "news" / "list.html").write_text("<p>список новостей</p>", "utf-8")
    (site / "data.json").write_text("{}", "utf-8")
    (site / "_replay.toml").write_text(
        '[paths."/old"]\nlocation = "https://example.org/news/list"\n\n'
        '[paths."/news/list"]\ndelay = 0.3\nencoding = "cp1251"\n'
        'headers = { "Content-Type" = "text/html", "X-Fixture" = "yes" }\n\n'
        '[paths."/broken"]\nstatus = 503\n',
        "utf-8",
    )
    with ReplayServer(tmp_path) as srv:
        yield srv


def test_overrides(tmp_server: ReplayServer) -> None:
    moved = fetch(tmp_server, "https://example.org/old")
    assert moved.status == 301 and moved.headers["Location"] == "https://example.org/news/list"
    start = time.monotonic()
    slow = fetch(tmp_server, "https://example.org/news/list")
    assert time.monotonic() - start >= 0.3
    assert slow.headers["Content-Type"] == "text/html" and slow.headers["X-Fixture"] == "yes"
    assert slow.body.decode("cp1251") == "<p>список новостей</p>"
    broken = fetch(tmp_server, "https://example.org/broken")
    assert broken.status == 503 and b"503" in broken.body
    assert fetch(tmp_server, "https://example.org/data.json").headers["Content-Type"] == (
        "application/json"
    )


def test_query_strings_map_to_suffixed_files(tmp_server: ReplayServer) -> None:
    assert fetch(tmp_server, "https://example.org/?page=2").text == "<p>page two</p>"
    # unknown parameters (tracking and the like) fall back to the page itself
    assert fetch(tmp_server, "https://example.org/?utm_source=x").text == "<p>home</p>"


def test_failing_first_requests_subtrees_and_padding(tmp_path: Path) -> None:
    site = tmp_path / "example.org"
    (site / "calendar").mkdir(parents=True)
    (site / "calendar" / "index.html").write_text('<a href="prev/">prev</a>', "utf-8")
    (site / "flaky.html").write_text("<p>finally</p>", "utf-8")
    (site / "huge.html").write_text("<p>huge</p>", "utf-8")
    (site / "_replay.toml").write_text(
        '[paths."/flaky.html"]\nfail_times = 2\nfail_status = 429\n'
        'fail_headers = { "Retry-After" = "1" }\n\n'
        '[paths."/calendar/"]\nsubtree = true\n\n'
        '[paths."/huge.html"]\npad_to = 100000\n', "utf-8")
    with ReplayServer(tmp_path) as srv:
        first, second, third = (fetch(srv, "https://example.org/flaky.html") for _ in range(3))
        assert (first.status, second.status, third.status) == (429, 429, 200)
        assert first.headers["Retry-After"] == "1" and third.text == "<p>finally</p>"
        deep = fetch(srv, "https://example.org/calendar/prev/prev/prev/")
        assert deep.status == 200 and 'href="prev/"' in deep.text
        assert fetch(srv, "https://example.org/elsewhere/").status == 404
        huge = fetch(srv, "https://example.org/huge.html")
        assert len(huge.body) == 100000 and huge.body.startswith(b"<p>huge</p>")


def test_port_is_released_after_stop(tmp_path: Path) -> None:
    srv = ReplayServer(tmp_path).start()
    port = srv.port
    assert srv.address == f"127.0.0.1:{port}"
    srv.stop()
    with pytest.raises(RuntimeError):
        _ = srv.port
    with ReplayServer(tmp_path, port=port) as again:
        assert again.port == port


# ------------------------------------------------------------------ the build


def test_committed_sites_match_the_build(tmp_path: Path) -> None:
    """tests/replay/sites is exactly what build.py renders (deterministic, up to date)."""
    spec = importlib.util.spec_from_file_location("replay_build", SITES.parent / "build.py")
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = build  # dataclasses look their module up there
    spec.loader.exec_module(build)
    out = tmp_path / "sites"
    build.build(REPO / "config" / "sources.toml", SITES.parent / "content", out)
    mismatch = compare_trees(out, SITES)
    assert not mismatch, f"run python tests/replay/build.py; differing files: {mismatch[:10]}"


def compare_trees(left: Path, right: Path) -> list[str]:
    names = {p.relative_to(left) for p in left.rglob("*") if p.is_file()}
    names |= {p.relative_to(right) for p in right.rglob("*") if p.is_file()}
    return sorted(
        str(n)
        for n in names
        if not ((left / n).is_file() and (right / n).is_file())
        or not filecmp.cmp(left / n, right / n, shallow=False)
    )


@pytest.mark.parametrize(("url", "location"), [
    ("https://www.gazeta.uz/", "https://www.gazeta.uz/ru/"),
    ("https://www.inform.kz/", "https://www.inform.kz/ru"),
    ("https://uza.uz/", "https://uza.uz/ru"),
    ("https://tdh.gov.tm/", "https://tdh.gov.tm/tk"),
])
def test_multilingual_news_sites_redirect_their_root(
    server: ReplayServer, url: str, location: str
) -> None:
    resp = fetch(server, url)
    assert resp.status == 301 and resp.headers["Location"] == location


def test_newsroom_listing_pages_and_feeds(server: ReplayServer) -> None:
    first = fetch(server, "https://www.inform.kz/ru/lenta")
    second = fetch(server, "https://www.inform.kz/ru/lenta/?page=2")
    assert first.status == second.status == 200 and first.body != second.body
    assert 'rel="next" href="/ru/lenta/?page=2"' in first.text
    items = feed_items(server, "https://www.gazeta.uz/oz/rss/")
    assert items and all("/oz/2026/11/" in item.findtext("link", "") for item in items)
    khovar = fetch(server, "https://khovar.tj/rus/feed/")
    assert khovar.headers["Content-Type"] == "application/rss+xml; charset=UTF-8"
    assert "<language>ru-RU</language>" in khovar.text
    assert "<language>tg-TJ</language>" in fetch(server, "https://khovar.tj/feed/").text


@pytest.mark.parametrize("host", ["www.azathabar.com", "tdh.gov.tm"])
def test_turkmen_pages_are_turkmen_latin(server: ReplayServer, host: str) -> None:
    source = next(s for s in SOURCES if s["allowed_hosts"][0] == host)
    listing = fetch(server, source["listings"][0])
    article = next(u for u in links(source["listings"][0], listing.text)
                   if re.fullmatch(source["article_pattern"], u))
    body = fetch(server, article).text
    assert '<html lang="tk"' in body
    assert len(re.findall(r"[äçňöşüýž]", body)) > 30
