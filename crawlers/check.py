"""`steppewatch sources check`: is a source's configuration still right?

For each source: robots.txt, then every feed, sitemap (and the first child of an index)
and listing page, one request each, a pause between requests. It reports what answered,
where redirects led, how many article links each page gave, how many of them the
pattern accepts, samples of both kinds, and what to change in sources.toml. Plain HTTP
with redirects followed by hand (so each hop is seen); against the loopback replay the
real host goes in X-Replay-Host, as crawlers/replay_routing.py does for Scrapy.
"""

from __future__ import annotations

import http.client
import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import lxml.html

from crawlers.detection import looks_like_article
from crawlers.sources import Source
from crawlers.spiders.discovery import DiscoveryError, Listed, parse_feed, parse_sitemap
from crawlers.urls import article_url, canonical_url

MAX_REDIRECTS = 5
TIMEOUT_S = 20.0
SAMPLES = 3


@dataclass
class Fetched:
    url: str  # the URL asked for
    status: int | None  # the last answer's status, None when nothing answered
    body: bytes = b""
    hops: list[str] = field(default_factory=list)  # every URL after a redirect
    error: str = ""

    @property
    def final_url(self) -> str:
        return self.hops[-1] if self.hops else self.url


@dataclass
class PageCheck:
    kind: str  # robots, feed, sitemap, listing
    fetched: Fetched
    matched: list[str] = field(default_factory=list)  # article links the pattern accepts
    missed: list[str] = field(default_factory=list)  # links that look like articles, fail it
    problem: str = ""  # unreadable feed or sitemap
    children: int = 0  # sitemaps an index names
    robots_allowed: bool = True  # the source's robots.txt lets the crawler fetch it

    @property
    def reachable(self) -> bool:
        return self.fetched.status is not None and 200 <= self.fetched.status < 300


@dataclass
class SourceCheck:
    source: Source
    pages: list[PageCheck]

    def advice(self) -> list[str]:
        """What to change in sources.toml, in words."""
        hosts = self.source.hosts
        tips = []
        for page in self.pages:
            moved = {urlsplit(u).hostname for u in page.fetched.hops} - set(hosts) - {None}
            if moved:
                tips.append(f"{page.fetched.url} redirects to {', '.join(sorted(moved))}: "
                            "if the outlet moved, add the host to allowed_hosts and the URLs")
            elif page.kind != "robots" and not page.reachable:
                tips.append(f"{page.fetched.url} does not answer "
                            f"({page.fetched.error or page.fetched.status}): fix or remove it")
            if page.problem:
                tips.append(f"{page.fetched.url}: {page.problem}")
            if not page.robots_allowed:
                tips.append(f"{page.fetched.url} is forbidden by robots.txt: the crawl will "
                            "not read it; remove it or use another entry page")
            if page.missed and len(page.missed) >= len(page.matched):
                tips.append(f"{page.fetched.url}: {len(page.missed)} links look like articles "
                            f"but fail article_pattern (e.g. {page.missed[0]}): widen it")
        entries = [p for p in self.pages if p.kind != "robots"]
        if entries and not any(p.matched for p in entries):
            tips.append("no feed, sitemap or listing gave an article link the pattern accepts")
        return tips


Fetcher = Callable[[str], tuple[int, dict[str, str], bytes]]


def http_fetcher(replay_address: str | None, user_agent: str) -> Fetcher:
    """One GET: to the real host, or to the loopback replay with the host in a header."""
    def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
        parts = urlsplit(url)
        headers = {"User-Agent": user_agent, "Accept-Encoding": "identity"}
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if replay_address:
            host, port = replay_address.rsplit(":", 1)
            conn: http.client.HTTPConnection = http.client.HTTPConnection(
                host, int(port), timeout=TIMEOUT_S)
            headers |= {"X-Replay-Host": parts.hostname or "", "X-Replay-Scheme": parts.scheme}
        elif parts.scheme == "https":
            conn = http.client.HTTPSConnection(parts.netloc, timeout=TIMEOUT_S)
        else:
            conn = http.client.HTTPConnection(parts.netloc, timeout=TIMEOUT_S)
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, \
                response.read()
        finally:
            conn.close()
    return fetch


def fetch_following(url: str, fetch: Fetcher) -> Fetched:
    """GET `url`, following redirects by hand so each hop is reported."""
    result = Fetched(url, None)
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        try:
            status, headers, body = fetch(current)
        except (OSError, http.client.HTTPException) as err:
            result.error = f"{type(err).__name__}: {err}"
            return result
        result.status, result.body = status, body
        location = headers.get("location")
        if not (300 <= status < 400 and location):
            return result
        current = urljoin(current, location)
        result.hops.append(current)
    result.error = "too many redirects"
    return result


def _links(kind: str, body: bytes, base: str) -> tuple[list[Listed], str, list[str]]:
    """(article-link candidates, problem, child sitemaps) of a discovery page."""
    try:
        if kind == "feed":
            return parse_feed(body), "", []
        if kind == "sitemap":
            sitemap = parse_sitemap(body)
            if sitemap.is_index:
                return [], "", [e.url for e in sitemap.entries]
            return sitemap.entries, "", []
    except DiscoveryError as err:
        return [], f"cannot be read as a {kind}: {err}", []
    if not body.strip():
        return [], "empty page", []
    doc = lxml.html.fromstring(body)
    return [Listed(urljoin(base, h)) for h in doc.xpath("//a/@href")], "", []


def check_page(source: Source, kind: str, url: str, fetch: Fetcher) -> tuple[PageCheck, list[str]]:
    fetched = fetch_following(url, fetch)
    page = PageCheck(kind, fetched)
    if kind == "robots" or not page.reachable:
        return page, []
    links, page.problem, children = _links(kind, fetched.body, fetched.final_url)
    page.children = len(children)
    for link in links:
        found = article_url(link.url, source.hosts, source.is_article_url)
        miss = canonical_url(link.url)
        if found and found not in page.matched:
            page.matched.append(found)
        elif not found and looks_like_article(miss, source.hosts) and miss not in page.missed:
            page.missed.append(miss)
    return page, children


def _robots(page: PageCheck) -> urllib.robotparser.RobotFileParser | None:
    """The rules of a robots.txt that answered (a missing one allows everything)."""
    if not page.reachable:
        return None
    rules = urllib.robotparser.RobotFileParser()
    rules.parse(page.fetched.body.decode("utf-8", "replace").splitlines())
    return rules


def check_source(source: Source, fetch: Fetcher, pause_s: float = 1.0,
                 user_agent: str = "steppewatch") -> SourceCheck:
    """Every entry page of a source, once; an index sitemap's first child too."""
    base = f"{urlsplit(source.base_url).scheme}://{urlsplit(source.base_url).netloc}"
    queue: list[tuple[str, str]] = [("robots", f"{base}/robots.txt")]
    queue += [("feed", u) for u in source.feeds] + [("sitemap", u) for u in source.sitemaps]
    queue += [("listing", u) for u in source.listings]
    pages: list[PageCheck] = []
    rules = None
    for number, (kind, url) in enumerate(queue):
        if number and pause_s:
            time.sleep(pause_s)  # politeness: one request at a time, spaced
        page, children = check_page(source, kind, url, fetch)
        if kind == "robots":
            rules = _robots(page)
        elif rules is not None:
            page.robots_allowed = rules.can_fetch(user_agent, url)
        pages.append(page)
        if children:
            queue.insert(number + 1, ("sitemap", children[0]))
    return SourceCheck(source, pages)


def report_lines(check: SourceCheck) -> Iterator[str]:
    """The check of one source as plain lines."""
    yield f"{check.source.id} ({check.source.name})"
    for page in check.pages:
        f = page.fetched
        state = "reachable" if page.reachable else f"NOT reachable ({f.error or f.status})"
        if not page.robots_allowed:
            state += ", forbidden by robots.txt"
        line = f"  {page.kind:8} {f.url}: {state}"
        if f.hops:
            line += f", redirected to {' -> '.join(f.hops)}"
        yield line
        if page.kind == "robots" or not page.reachable:
            continue
        if page.children:
            yield f"           an index of {page.children} sitemaps (the first is checked)"
            continue
        total = len(page.matched) + len(page.missed)
        yield (f"           {total} article links, {len(page.matched)} match the pattern, "
               f"{len(page.missed)} look like articles but do not")
        for url in page.matched[:SAMPLES]:
            yield f"           match: {url}"
        for url in page.missed[:SAMPLES]:
            yield f"           miss:  {url}"
    tips = check.advice()
    yield "  to change: " + ("nothing" if not tips else tips[0])
    for tip in tips[1:]:
        yield f"             {tip}"
