"""Is a page an article? Its URL pattern is one hand-written guess; the page's own metadata
(JSON-LD @type, og:type, article:published_time) is the outlet's word. A page is an
article when its URL matches the source's pattern or its metadata says so, and not when
its metadata says it is a video, a gallery, an audio page or a listing.

`looks_like_article` picks, among links that fail the pattern, those that look like an
outlet's article links (a slug of four or more words, a numeric id, a date in the path),
so that a changed URL scheme shows up as "links that look like articles but fail the
pattern".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from urllib.parse import urlsplit

HEAD_BYTES = 131072  # metadata sits in the head, JSON-LD sometimes early in the body

ARTICLE = "article"
NOT_ARTICLE_KINDS = ("video", "gallery", "audio", "listing")

# schema.org types -> kind
_LD_KINDS = {
    "newsarticle": ARTICLE, "article": ARTICLE, "reportagenewsarticle": ARTICLE,
    "analysisnewsarticle": ARTICLE, "opinionnewsarticle": ARTICLE, "blogposting": ARTICLE,
    "backgroundnewsarticle": ARTICLE, "reviewnewsarticle": ARTICLE, "liveblogposting": ARTICLE,
    "videoobject": "video", "videogallery": "video", "clip": "video",
    "imagegallery": "gallery", "mediagallery": "gallery", "collectionpage": "listing",
    "itemlist": "listing", "searchresultspage": "listing",
    "audioobject": "audio", "podcastepisode": "audio", "radioepisode": "audio",
}
_MEDIA_FIRST = ("video", "gallery", "audio", "listing")

_LD_SCRIPT = re.compile(
    rb"""<script[^>]+type=["']application/ld\+json["'][^>]*>(.*?)</script>""", re.I | re.S)
_META = re.compile(rb"""<meta\b[^>]*>""", re.I)
_ATTR = re.compile(rb"""\b(property|name|content)\s*=\s*["']([^"']*)["']""", re.I)

_NOT_PAGES = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|pdf|mp3|mp4|xml|rss|css|js|zip)$", re.I)
# First path segments of menus, archives and service pages on news sites.
_SERVICE = re.compile(
    r"^/(?:[a-z]{2}/)?(?:tags?|category|categories|rubrics?|section|author|authors|page|search"
    r"|feed|rss|api|static|media|wp-content|wp-json|login|account|subscribe|donate|about"
    r"|contacts?|privacy[\w-]*|z|p)(?:/|$)", re.I)  # Pangea: /z/<zone>, /p/<page>.html
_SLUG_WORD = re.compile(r"[^\W_]+")
_DATE_PATH = re.compile(r"/(?:19|20)\d\d[/-]?[01]\d(?:[/-]?[0-3]\d)?/")
_LONG_ID = re.compile(r"(?:^|[/_:-])\d{5,}(?:[/_:.-]|$)")


def _ld_types(node: object) -> Iterator[str]:
    """The @types of a JSON-LD document's own nodes (top level, lists, @graph); a video
    embedded in an article (a nested property) is not the page's type."""
    if isinstance(node, list):
        for item in node:
            yield from _ld_types(item)
    elif isinstance(node, dict):
        kind = node.get("@type")
        for t in kind if isinstance(kind, list) else [kind]:
            if isinstance(t, str):
                yield t
        yield from _ld_types(node.get("@graph", []))


def _ld_kinds(head: bytes) -> set[str]:
    kinds = set()
    for block in _LD_SCRIPT.findall(head):
        try:
            doc = json.loads(block.decode("utf-8", "replace"), strict=False)
        except ValueError:
            continue
        kinds |= {_LD_KINDS[t.lower()] for t in _ld_types(doc) if t.lower() in _LD_KINDS}
    return kinds


def _meta_kinds(head: bytes) -> tuple[set[str], set[str]]:
    """(kinds og:type names, kinds the other article:* tags imply)."""
    og, implied = set(), set()
    for tag in _META.findall(head):
        attrs = {k.lower(): v for k, v in _ATTR.findall(tag)}
        key = (attrs.get(b"property") or attrs.get(b"name") or b"").decode("latin-1").lower()
        value = attrs.get(b"content", b"").decode("latin-1").strip().lower()
        if key == "og:type":
            og.add(_og_kind(value))
        elif key in ("article:published_time", "article:section") and value:
            implied.add(ARTICLE)
    og.discard("")
    return og, implied


def _og_kind(value: str) -> str:
    if value == "article":
        return ARTICLE
    if value.startswith("video"):
        return "video"
    if value.startswith(("music", "audio")):
        return "audio"
    return ""  # "website" is what every page of many CMSs says: no answer


def page_kind(body: bytes) -> str | None:
    """What the page says it is: article, video, gallery, audio, listing; None when its
    metadata says nothing. og:type video or audio is the page's own word and wins; then
    JSON-LD, where an article type wins over media it also describes; then og:type
    article and article:published_time."""
    head = body[:HEAD_BYTES]
    og, implied = _meta_kinds(head)
    ld = _ld_kinds(head)
    for kinds in ({k for k in og if k != ARTICLE}, {ARTICLE} & ld, ld, og | implied):
        found = next((k for k in (*_MEDIA_FIRST, ARTICLE) if k in kinds), None)
        if found:
            return found
    return None


def is_article_page(url_matches: bool, kind: str | None) -> bool:
    """The rule: the metadata's no wins, then its yes, then the URL pattern."""
    if kind in NOT_ARTICLE_KINDS:
        return False
    return kind == ARTICLE or url_matches


def looks_like_article(url: str, hosts: Iterable[str]) -> bool:
    """A link of the source that has the look of an article URL: a slug of four or more
    words, a numeric id of five or more digits, or a date in the path; not a menu, tag,
    author, search, feed or media file."""
    parts = urlsplit(url)
    path = parts.path
    if (parts.hostname or "") not in tuple(hosts) or _NOT_PAGES.search(path):
        return False
    if _SERVICE.match(path) or "page=" in parts.query:
        return False
    last = path.rstrip("/").rsplit("/", 1)[-1]
    words = _SLUG_WORD.findall(last.rsplit(".", 1)[0])
    return len(words) >= 4 or bool(_LONG_ID.search(path)) or bool(
        _DATE_PATH.search(path) and last and not last.isdigit())
