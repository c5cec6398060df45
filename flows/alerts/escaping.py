"""Scraped text made safe for the reports: Markdown escaping and which addresses may be links.

Markdown turns & < > into character references and backslash-escapes its own syntax, so any
renderer shows the text as it is; only http(s) addresses become links (a `javascript:` or
`data:` address stays text). HTML needs nothing here: Jinja2 autoescaping does it.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import quote

from flows.alerts.matches import Segment

# Markdown's own syntax in running text: escape, code, emphasis, links and images, headings,
# table cells, strikethrough. ( ) matter only after ], which is escaped; & < > are HTML's.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")
_LINE_BREAK = re.compile(r"\r\n?|\n")
_LIST_MARK = re.compile(r"^[-+=]")  # a bullet, or a setext heading's underline
_NUMBER_MARK = re.compile(r"^(\d{1,9})([.)])")  # an ordered list item
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
_WEB = re.compile(r"https?://", re.IGNORECASE)
_URL_SAFE = "/:?#[]@!$&'()*+,;=%"  # RFC 3986 reserved characters and % escapes stay


def markdown_escape(value: Any) -> str:
    """Scraped text inside a Markdown line, shown as the text it is by any renderer: & < >
    as HTML character references (so no tag, raw or not, survives), Markdown's link,
    emphasis, code, heading, table and strikethrough characters backslash-escaped, line
    breaks as spaces."""
    text = _LINE_BREAK.sub(" ", str(value if value is not None else ""))
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _line_start(escaped: str) -> str:
    """Escaped text that starts a Markdown line (a blockquote's text): no indentation that
    would make it code, no leading mark that would make it a list or a heading's underline."""
    text = escaped.lstrip(" \t")
    return _NUMBER_MARK.sub(r"\1\\\2", _LIST_MARK.sub(r"\\\g<0>", text))


def markdown_line(value: Any) -> str:
    """Scraped text at the start of a Markdown line (see markdown_escape)."""
    return _line_start(markdown_escape(value))


def markdown_snippet(parts: list[Segment]) -> str:
    """A snippet's segments as one Markdown line, the highlighted ones in bold (the story's
    "matched" lines name their topics: nothing is put between a word and the text after it)."""
    return _line_start("".join(f"**{markdown_escape(text)}**" if hit else markdown_escape(text)
                               for text, hit in parts))


def is_web_url(url: Any) -> bool:
    """Only http(s) addresses become links; javascript:, data: and the rest stay text."""
    return isinstance(url, str) and _WEB.match(url) is not None


def safe_href(url: str) -> str:
    """Only web links are linked; anything else (javascript:, data:) becomes inert."""
    return url if is_web_url(url) else "#"


def markdown_url(url: str) -> str:
    """A web URL as a Markdown link destination inside <...>: spaces, < > \\ and anything not
    ASCII percent-encoded, an &...; that CommonMark would decode written as &amp;...;."""
    return _ENTITY_LIKE.sub("&amp;", quote(safe_href(url), safe=_URL_SAFE))


def markdown_link(label: Any, url: str) -> str:
    """[label](<url>) for a web address; the label and the address as plain text for any
    other, so a javascript: address is seen but never followed."""
    if is_web_url(url):
        return f"[{markdown_escape(label)}](<{markdown_url(url)}>)"
    return f"{markdown_escape(label)} ({markdown_escape(url)})"
