"""Why a story matched: the query terms that fired per topic, and a snippet whose
highlighted words name the topics they count for.

The tagger stores per topic a JSON list of {term, surface, field, start, end}: `term` is the
query term as written in topics.toml (`пытк*`), `surface` the words of the text it matched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, NamedTuple

SNIPPET_CHARS = 320


@dataclass(frozen=True)
class TermHit:
    """One query term of a topic and the distinct words it matched, in order of appearance."""
    term: str
    surfaces: tuple[str, ...]  # the headline's first, then the text's
    in_title: bool  # matched in the headline (the snippet shows only text matches)
    in_text: bool = True

    @property
    def where(self) -> str:
        """Where else than the text the term matched, as the report says it."""
        if not self.in_title:
            return ""
        return "also in the headline" if self.in_text else "in the headline"


class Segment(NamedTuple):
    """A piece of a snippet; `topics` empty for plain text, else the topics the word counts
    for (so `for text, hit in snippet` still reads it as highlighted or not)."""
    text: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Matches:
    by_topic: dict[str, list[TermHit]]
    spans: list[tuple[int, int, tuple[str, ...]]]  # text offsets, topics of each span


def _entries(topic_matches: list[dict[str, Any]] | None) -> list[tuple[str, list[dict]]]:
    out = []
    for entry in topic_matches or []:
        matches = entry["matches"]
        out.append((entry["topic"], json.loads(matches) if isinstance(matches, str) else
                    list(matches or [])))
    return out


def _term_hits(matches: list[dict[str, Any]]) -> list[TermHit]:
    surfaces: dict[str, list[str]] = {}
    fields: dict[str, set[str]] = {}
    for m in sorted(matches, key=lambda m: (m["field"] != "title", m["start"])):
        term = m.get("term") or m["surface"]
        found = surfaces.setdefault(term, [])
        if m["surface"] not in found:
            found.append(m["surface"])
        fields.setdefault(term, set()).add(m["field"])
    return [TermHit(t, tuple(s), "title" in fields[t], fields[t] != {"title"})
            for t, s in surfaces.items()]


def parse_matches(topic_matches: list[dict[str, Any]] | None) -> Matches:
    """article_topics.matches of one story, per topic, as term hits and text spans."""
    by_topic: dict[str, list[TermHit]] = {}
    span_topics: dict[tuple[int, int], list[str]] = {}
    for topic, matches in _entries(topic_matches):
        by_topic[topic] = _term_hits(matches)
        for m in matches:
            if m["field"] == "text":
                topics = span_topics.setdefault((m["start"], m["end"]), [])
                if topic not in topics:
                    topics.append(topic)
    spans = [(s, e, tuple(t)) for (s, e), t in sorted(span_topics.items(),
                                                      key=lambda x: (x[0][0], -x[0][1]))]
    return Matches(by_topic, spans)


def lead_start(title: str, text: str) -> int:
    """Where the text starts after its headline: many pages repeat the headline as the
    text's first line, which the report already shows above the snippet."""
    head = title.strip()
    if not head or not text.startswith(head):
        return 0
    rest = text[len(head):]
    return len(head) + len(rest) - len(rest.lstrip()) if rest[:1].isspace() else 0


def _word_start(text: str, start: int, limit: int) -> int:
    """`start` moved forward to the next word's beginning (not past `limit`), so a snippet
    does not open in the middle of a word."""
    if start == 0 or text[start - 1].isspace():
        return start
    gap = next((i for i in range(start, limit) if text[i].isspace()), None)
    return gap + 1 if gap is not None else start


def _word_end(text: str, end: int) -> int:
    """`end` moved back to the end of the last whole word, unless that drops most of it."""
    if end >= len(text) or text[end].isspace():
        return end
    gap = text.rfind(" ", 0, end)
    return gap if gap > end - 40 else end


def snippet(text: str, spans: list[tuple[int, int, tuple[str, ...]]],
            size: int = SNIPPET_CHARS, skip: int = 0) -> list[Segment]:
    """A window of the text (from offset `skip`) around the first match, split into plain
    and highlighted parts; a span overlapping one already shown (a word inside a phrase) is
    left out."""
    spans = [span for span in spans if span[0] >= skip]
    first = spans[0][0] if spans else skip
    start = _word_start(text, max(skip, first - size // 3), first)
    end = _word_end(text, min(len(text), start + size))
    parts, cursor = [], start
    for s, e, topics in spans:
        if s < cursor or e > end:
            continue
        parts += [Segment(text[cursor:s], ()), Segment(text[s:e], topics)]
        cursor = e
    parts.append(Segment(text[cursor:end], ()))
    if start > skip:
        parts.insert(0, Segment("…", ()))
    if end < len(text):
        parts.append(Segment("…", ()))
    return [p for p in parts if p.text]
