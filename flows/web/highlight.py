"""Marking what a topic query matched in a text, topic by topic, as plain segments that
the templates escape (scraped text is never treated as markup)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SNIPPET_CHARS = 260


@dataclass(frozen=True)
class Segment:
    text: str
    topics: tuple[str, ...] = ()  # the topics whose matches cover this stretch


def spans(tags: list[Any], field: str) -> list[tuple[int, int, str]]:
    """(start, end, topic) of every match of the stories' tags in `field` (title or text)."""
    return sorted((m["start"], m["end"], tag.topic) for tag in tags for m in tag.matches
                  if m.get("field") == field and m.get("end", 0) > m.get("start", 0))


def segments(text: str, marks: list[tuple[int, int, str]], begin: int = 0,
             stop: int | None = None) -> list[Segment]:
    """`text[begin:stop]` cut at the marks' edges; each piece names the topics covering it."""
    stop = len(text) if stop is None else stop
    edges = {begin, stop}
    for start, end, _ in marks:
        edges.update(e for e in (start, end) if begin < e < stop)
    cuts = sorted(edges)
    out: list[Segment] = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        topics = tuple(sorted({t for s, e, t in marks if s <= left and right <= e}))
        out.append(Segment(text[left:right], topics))
    return out


def snippet(text: str, marks: list[tuple[int, int, str]], title: str | None = None,
            width: int = SNIPPET_CHARS) -> list[Segment]:
    """About `width` characters around the first marked word (the start of the text when
    nothing is marked), with an ellipsis where the text was cut. A text that starts with
    its headline (`title`, shown above it) starts after it."""
    lead = len(title) if title and text.startswith(title) else 0
    marks = [m for m in marks if m[0] >= lead]
    first = marks[0][0] if marks else lead
    begin = _word_start(text, max(first - width // 3, lead)) if first > lead else lead
    while begin < len(text) and text[begin].isspace():
        begin += 1
    stop = _word_end(text, min(begin + width, len(text)))
    inside = [m for m in marks if m[0] >= begin and m[1] <= stop]
    parts = segments(text, inside, begin, stop)
    if begin > lead:
        parts.insert(0, Segment("… "))
    if stop < len(text):
        parts.append(Segment(" …"))
    return parts


def _word_start(text: str, index: int) -> int:
    if index == 0 or not text[index - 1].isalnum():
        return index
    found = re.compile(r"\s").search(text, index)
    return found.end() if found else index


def _word_end(text: str, index: int) -> int:
    found = re.compile(r"\s").search(text, index)
    return found.start() if found else len(text)
