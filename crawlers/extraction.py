"""Article extraction: raw HTML bytes in, cleaned article out (trafilatura).

Pure functions with no I/O, so they run unchanged in a process pool or on Dask.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import trafilatura
from w3lib.encoding import (
    html_body_declared_encoding,
    html_to_unicode,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)
from w3lib.html import remove_tags, replace_entities

from crawlers.language import detect_language

MIN_TEXT_CHARS = 200
# A line of prose has this many words; menus, captions and share bars have fewer.
PROSE_LINE_WORDS = 8
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


_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S | re.I)


def headline(html: str, meta_title: str) -> str:
    """The page's own headline: the first <h1> when the meta title merely adds the site's
    name to it ("Headline - News of Kyrgyzstan - 24.kg"), else the meta title."""
    found = _H1.search(html)
    if found:
        h1 = " ".join(replace_entities(remove_tags(found.group(1))).split())
        if h1 and meta_title.startswith(h1):
            return h1
    return meta_title


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
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False,
        date_extraction_params=DATE_PARAMS,
    )
    text = (doc.text or "").strip() if doc else ""
    if prose_chars(text) < MIN_TEXT_CHARS:
        raise ExtractionError(
            "no_text",
            f"{url}: no article text found ({prose_chars(text)} characters of prose, need "
            f"{MIN_TEXT_CHARS}); the page may be a gallery, video or index page")
    title = headline(html, (doc.title or "").strip())
    return ExtractedArticle(
        url=url,
        canonical_url=doc.url if doc.url and doc.url.startswith("http") else None,
        title=title,
        text=text,
        author=doc.author or None,
        published_at=doc.date or None,
        language=detect_language(f"{title}\n{text}", declared_languages),
        description=doc.description or None,
        encoding=encoding,
        text_sha1=hashlib.sha1(text.encode()).hexdigest(),
    )
