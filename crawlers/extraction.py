"""Article extraction: raw HTML bytes in, cleaned article out (trafilatura).

Pure functions with no I/O, so they run unchanged in a process pool or on Dask.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import trafilatura
from lxml.html import HtmlElement
from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)
from w3lib.html import replace_entities

from crawlers.language import detect_language

MIN_TEXT_CHARS = 200
# A line of prose has this many words; menus, captions and share bars have fewer.
PROSE_LINE_WORDS = 8
# A brief (a news item of one to three sentences) on a page whose metadata says it is an
# article: this many characters in sentences of at least BRIEF_SENTENCE_WORDS words.
# Kyrgyz and Kazakh words are long, so such sentences often have fewer than 8 words.
MIN_BRIEF_CHARS = 50
BRIEF_SENTENCE_WORDS = 4
HTML_TYPES = ("text/html", "application/xhtml+xml", "")
DATE_PARAMS = {"original_date": True, "extensive_search": True,
               "outputformat": "%Y-%m-%dT%H:%M:%S%z"}


class ExtractionError(Exception):
    """A page that yields no article; `kind` is short and stable, the message readable."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class ExtractedArticle:
    url: str
    canonical_url: str | None
    title: str
    text: str
    author: str | None
    published_at: str | None
    language: str
    description: str | None
    encoding: str
    text_sha1: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _codec(name: str | None) -> str | None:
    """Python's name of a charset label ("windows-1251" -> "cp1251"), None if unknown."""
    if not name:
        return None
    try:
        return codecs.lookup(resolve_encoding(name) or name).name
    except LookupError:
        return None


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _guess_cyrillic(body: bytes) -> str:
    """cp1251 or koi8-r for a legacy Cyrillic page without a usable label: the decoding in
    which most Cyrillic letters are lower case (prose is), since the two swap the cases."""
    def lower_share(encoding: str) -> float:
        text = body.decode(encoding, errors="replace")
        letters = [c for c in text if "\u0400" <= c <= "\u04ff"]
        return sum(c.islower() for c in letters) / len(letters) if letters else 0.0
    return max(("cp1251", "koi8_r"), key=lower_share)


def decode_html(body: bytes, content_type: str) -> tuple[str, str]:
    """Unicode text and the encoding used.

    Servers of the region often send a charset header that is wrong (a default
    "utf-8" in front of windows-1251 pages, or the reverse), so the bytes decide
    first: a BOM; valid UTF-8 with non-ASCII bytes is UTF-8 (legacy Cyrillic text is
    practically never valid UTF-8); otherwise the page's own meta tag, then the header,
    each only if the bytes decode with it; else a cp1251/koi8-r guess.
    """
    bom, _length = read_bom(body)
    if bom:
        encoding, text = html_to_unicode(content_type or None, body)
        return text, _codec(encoding) or encoding
    if _decodes(body, "utf-8"):
        return body.decode("utf-8"), "utf-8"
    declared = (_codec(html_body_declared_encoding(body)),
                _codec(http_content_type_encoding(content_type or None)))
    for encoding in declared:
        if encoding and encoding != "utf-8" and _decodes(body, encoding):
            return body.decode(encoding), encoding
    encoding = _guess_cyrillic(body)
    return body.decode(encoding, errors="replace"), encoding


# Elements whose text is never shown as text: their content is not part of a headline or
# of a brief's sentences.
NOT_TEXT = ("script", "style", "noscript", "template")
# What decides what a heading holds, in document order: an element whose content is not
# text, taken whole as a browser does (its content ends at its first end tag, even when
# that content holds "</h1>"), and the start and end tags of <title> and <h1>-<h6>.
_HEADING_TOKENS = re.compile(
    r"<(?P<raw>script|style|noscript|template)\b[^>]*>.*?(?:</(?P=raw)\s*>|$)"
    r"|<(?P<end>/?)(?:h[1-6]|title)\b[^>]*>", re.S | re.I)
_HEADING_START = re.compile(r"<(?:h[1-6]|title)\b", re.I)
_HEADING_END = re.compile(r"</(?:h[1-6]|title)\s*>", re.I)
_NOT_TEXT_IN = re.compile(
    r"<(script|style|noscript|template)\b[^>]*>.*?(?:</\1\s*>|$)", re.S | re.I)
_TAG = re.compile(r"</?[a-zA-Z][\w:-]*(?:\s[^<>]*)?/?>")  # not "a < b > c"
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.S | re.I)


def clean_title(title: str) -> str:
    """A headline as plain text: a <script>, <style> or <noscript> written into it (a
    <title> holds markup as text, and og:title is an attribute) is dropped with its
    content, other tags are removed, entities decoded, white space collapsed."""
    text = replace_entities(_TAG.sub("", _NOT_TEXT_IN.sub(" ", title)))
    return " ".join(_TAG.sub("", _NOT_TEXT_IN.sub(" ", text)).split())


def drop_scripts_in_headings(html: str) -> str:
    """The page without the script, style, noscript and template elements that are
    inside its <title> or a heading, whose text would otherwise become part of the
    headline (trafilatura reads its title from them). Scripts elsewhere, JSON-LD
    included, stay."""
    for start in _HEADING_START.finditer(html):  # a quick look first: most pages have none
        end = _HEADING_END.search(html, start.end())
        inside = html[start.end():end.start() if end else len(html)].lower()
        if any(f"<{tag}" in inside for tag in NOT_TEXT):
            break
    else:
        return html
    kept: list[str] = []
    last = depth = 0
    for token in _HEADING_TOKENS.finditer(html):
        if token["raw"]:
            if depth:
                kept += [html[last:token.start()], " "]
                last = token.end()
        elif token["end"]:
            depth = max(0, depth - 1)
        else:
            depth += 1
    return "".join([*kept, html[last:]]) if kept else html


def visible_text(element: HtmlElement) -> str:
    """An element's text without that of script, style, noscript and template elements,
    white space collapsed."""
    def parts(node: HtmlElement) -> Iterator[str]:
        if node.text and node.tag not in NOT_TEXT:
            yield node.text
        for child in node:
            if child.tag == "br":
                yield " "
            elif isinstance(child.tag, str) and child.tag not in NOT_TEXT:
                yield from parts(child)
            if child.tail:
                yield child.tail
    return " ".join("".join(parts(element)).split())


def headline(html: str, meta_title: str) -> str:
    """The page's own headline: the first <h1> when the meta title merely adds the site's
    name to it ("Headline - News of Kyrgyzstan - 24.kg"), else the meta title; never the
    text of a script, style or noscript element."""
    meta_title = clean_title(meta_title)
    found = _H1.search(html)
    if found:
        h1 = clean_title(found.group(1))
        if h1 and meta_title.startswith(h1):
            return h1
    return meta_title


# ------------------------------------------------------------------ briefs

# Values that say "this page is one article": og:type, JSON-LD @type, microdata itemtype.
ARTICLE_TYPES = frozenset({
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
    "backgroundnewsarticle", "opinionnewsarticle", "reviewnewsarticle", "blogposting",
    "liveblogposting", "report",
})
_META_PUBLISHED = ("//head/meta[@property='article:published_time' or "
                   "@name='article:published_time'][@content]")
# Paragraphs inside these are not a brief's text (menus, captions, teasers, footers).
_NOT_BRIEF_TAGS = frozenset({"nav", "header", "footer", "aside", "figure", "figcaption",
                             "form", "li", "button", "label", "table", *NOT_TEXT})
_NOT_BRIEF_CLASS = re.compile(
    r"caption|copyright|cookie|consent|newsletter|subscri|share|social|related|sidebar|"
    r"widget|comment|promo|banner|advert|breadcrumb|menu|footer|teaser|byline|tags", re.I)
_SENTENCE_END = re.compile(r"[.!?…][\s»“”\"')\]]*$")


def _json_types(data: Any) -> Iterator[str]:
    """The @type values of a JSON-LD document's top-level objects (and of its @graph), not
    of objects nested in them (a listing's ItemList of NewsArticle is not an article)."""
    if isinstance(data, list):
        for item in data:
            yield from _json_types(item)
        return
    if not isinstance(data, dict):
        return
    kinds = data.get("@type")
    for kind in kinds if isinstance(kinds, list) else [kinds]:
        if isinstance(kind, str):
            yield kind
    yield from _json_types(data.get("@graph"))


def article_signals(page: HtmlElement) -> list[str]:
    """What in the page's metadata says that it is an article, e.g.
    ["og:type=article", "JSON-LD NewsArticle"]; empty for other pages."""
    signals = []
    for value in page.xpath("//head/meta[@property='og:type' or @name='og:type']/@content"):
        if value.strip().lower() in ARTICLE_TYPES:
            signals.append(f"og:type={value.strip()}")
    if page.xpath(_META_PUBLISHED):
        signals.append("article:published_time")
    for script in page.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        signals += [f"JSON-LD {kind}" for kind in _json_types(data)
                    if kind.rsplit("/", 1)[-1].lower() in ARTICLE_TYPES]
    itemtypes = [t for t in page.xpath("//*[@itemscope]/@itemtype")
                 if t.rstrip("/").rsplit("/", 1)[-1].lower() in ARTICLE_TYPES]
    if len(itemtypes) == 1:  # several: a listing of teasers
        signals.append(f"itemtype {itemtypes[0].rstrip('/').rsplit('/', 1)[-1]}")
    return list(dict.fromkeys(signals))


def _brief_root(page: HtmlElement) -> HtmlElement:
    """Where an article's text is: its articleBody, else the <article> holding the <h1>
    (else the first one), else the page's body."""
    body = page.xpath("//*[@itemprop='articleBody']")
    if body:
        return body[0]
    articles = page.xpath("//article")
    if articles:
        return next((a for a in articles if a.find(".//h1") is not None), articles[0])
    return page.find("body") if page.find("body") is not None else page


def _is_boilerplate(paragraph: HtmlElement, root: HtmlElement) -> bool:
    node: HtmlElement | None = paragraph
    while node is not None and node is not root:
        if node.tag in _NOT_BRIEF_TAGS or _NOT_BRIEF_CLASS.search(
                f"{node.get('class', '')} {node.get('id', '')}"):
            return True
        node = node.getparent()
    return False


def brief_sentences(page: HtmlElement) -> list[str]:
    """The paragraphs of an article's text that are sentences (at least
    BRIEF_SENTENCE_WORDS words, ending in . ! ? or …), outside menus, captions, teasers,
    share bars and footers, and not mostly link text."""
    root = _brief_root(page)
    sentences = []
    for paragraph in root.iter("p"):
        if _is_boilerplate(paragraph, root):
            continue
        text = visible_text(paragraph)
        links = sum(len(visible_text(a)) for a in paragraph.iter("a"))
        if (len(text.split()) >= BRIEF_SENTENCE_WORDS and _SENTENCE_END.search(text)
                and links * 2 < len(text)):
            sentences.append(text)
    return sentences


def prose_chars(text: str) -> int:
    """Characters in lines long enough to be prose (when trafilatura finds no main text,
    it falls back to the page's navigation and captions, which are short lines)."""
    return sum(len(line) for line in text.splitlines() if len(line.split()) >= PROSE_LINE_WORDS)


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def extract_article(
    body: bytes, url: str, content_type: str = "", declared_languages: Sequence[str] = ()
) -> ExtractedArticle:
    """The article in an HTML page, or ExtractionError saying why there is none."""
    media_type = _media_type(content_type)
    if media_type not in HTML_TYPES:
        raise ExtractionError("not_html", f"{url} is {media_type}, not an HTML page")
    html, encoding = decode_html(body, content_type)
    html = drop_scripts_in_headings(html)
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params=DATE_PARAMS,
    )
    text = (doc.text or "").strip() if doc else ""
    if prose_chars(text) < MIN_TEXT_CHARS:
        text = _brief_or_fail(html, url, text)
    title = headline(html, (doc.title or "") if doc else "")
    return ExtractedArticle(
        url=url,
        canonical_url=doc.url if doc and doc.url and doc.url.startswith("http") else None,
        title=title,
        text=text,
        author=(doc.author if doc else None) or None,
        published_at=(doc.date if doc else None) or None,
        language=detect_language(f"{title}\n{text}", declared_languages),
        description=(doc.description if doc else None) or None,
        encoding=encoding,
        text_sha1=hashlib.sha1(text.encode()).hexdigest(),
    )


def _brief_or_fail(html: str, url: str, text: str) -> str:
    """The text of a page whose main text is short: a brief when the page's metadata says
    it is an article and it has MIN_BRIEF_CHARS of sentences; else ExtractionError."""
    prose = prose_chars(text)
    page = trafilatura.load_html(html)  # parsed again, only for the few short pages
    signals = article_signals(page) if page is not None else []
    sentences = brief_sentences(page) if page is not None and signals else []
    if not signals:
        raise ExtractionError(
            "no_text",
            f"{url}: no article text found ({prose} characters of prose, need "
            f"{MIN_TEXT_CHARS}); the page may be a gallery, video or index page")
    if sum(len(s) for s in sentences) < MIN_BRIEF_CHARS:
        raise ExtractionError(
            "no_text",
            f"{url}: no article text found ({prose} characters of prose, need "
            f"{MIN_TEXT_CHARS}; marked as an article by {', '.join(signals)}, but "
            f"{sum(len(s) for s in sentences)} characters in sentences, a brief needs "
            f"{MIN_BRIEF_CHARS}); the page may be a gallery, video or index page")
    return "\n".join(sentences)
