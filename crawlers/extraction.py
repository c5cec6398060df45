"""Article extraction: raw HTML bytes in, cleaned article out (trafilatura).

Pure functions with no I/O, so they run unchanged in a process pool or on Dask.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import trafilatura
from w3lib.encoding import html_to_unicode

from crawlers.language import detect_language

MIN_TEXT_CHARS = 200
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


def decode_html(body: bytes, content_type: str) -> tuple[str, str]:
    """Unicode text and the encoding used: BOM, then HTTP header, then meta tag, then guess."""
    encoding, text = html_to_unicode(content_type or None, body)
    return text, encoding


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
    if len(text) < MIN_TEXT_CHARS:
        raise ExtractionError(
            "no_text", f"{url}: no article text found ({len(text)} characters, need "
            f"{MIN_TEXT_CHARS}); the page may be a gallery, video or index page")
    title = (doc.title or "").strip()
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
