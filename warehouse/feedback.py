"""Monitors' corrections of topic tags: stored once, listed, exported as labelled examples.

A monitor marks a topic of a story `wrong` or adds it as `missing`, with an optional note.
Corrections live in `tag_feedback` (migration 009), which re-tagging never touches. The
form carries a key made when it was rendered (`new_feedback_key`), stored as the
correction's id, so a form sent twice (a double click, a browser retry) is stored once.
`feedback_examples` gives one labelled example per corrected story, in the format of
tests/data/devset.jsonl, which `steppewatch tag --eval` reads.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from warehouse.sql import statement

VERDICTS = ("wrong", "missing")
NOTE_MAX_CHARS = 2_000
LIST_LIMIT = 200
_KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


class FeedbackError(ValueError):
    """A correction that cannot be stored; the message is one readable line."""


@dataclass(frozen=True)
class FeedbackRow:
    """A stored correction with its story (title, outlet, url are None if it is gone)."""

    feedback_id: str
    created_at: datetime
    article_id: str
    title: str | None
    outlet: str | None
    url: str | None
    topic: str
    verdict: str
    note: str | None
    was_tagged: bool


def new_feedback_key() -> str:
    """A fresh key for a correction form, made when the form is rendered."""
    return secrets.token_urlsafe(16)


def _checked_note(note: str | None) -> str | None:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise FeedbackError(f"the note has {len(note)} characters; keep it under "
                            f"{NOTE_MAX_CHARS}")
    return note or None


def _check(key: str, topic: str, verdict: str, topics: Sequence[str]) -> None:
    if not _KEY.fullmatch(key or ""):
        raise FeedbackError("the form has no valid key; reload the story and send it again")
    if verdict not in VERDICTS:
        raise FeedbackError(f"unknown verdict {verdict!r}; use one of {', '.join(VERDICTS)}")
    if topic not in topics:
        raise FeedbackError(f"unknown topic {topic!r}; use one of {', '.join(topics)}")


def record_feedback(con: duckdb.DuckDBPyConnection, *, key: str, article_id: str,
                    topic: str, verdict: str, note: str | None = None,
                    topics: Sequence[str]) -> bool:
    """Store a correction of `topic` (one of `topics`, the configured topic ids) on an
    article; False when `key` was stored already (nothing changes). FeedbackError for an
    unknown article, topic or verdict, a bad key or a note that is too long."""
    _check(key, topic, verdict, topics)
    note = _checked_note(note)
    exists, topics_version = con.execute(statement("feedback/article_state"),
                                         {"article_id": article_id, "topic": topic}).fetchone()
    if not exists:
        raise FeedbackError(f"no story {article_id!r} in the warehouse")
    inserted = con.execute(statement("feedback/insert"), {
        "key": key, "article_id": article_id, "topic": topic, "verdict": verdict,
        "note": note, "topics_version": topics_version}).fetchone()[0]
    return inserted == 1


def list_feedback(con: duckdb.DuckDBPyConnection, limit: int = LIST_LIMIT,
                  article_id: str | None = None) -> list[FeedbackRow]:
    """The latest corrections first (only those of `article_id` if given)."""
    rows = con.execute(statement("feedback/list"),
                       {"limit": limit, "article_id": article_id}).fetchall()
    return [FeedbackRow(*row) for row in rows]


def corrected_topics(stored: Sequence[str], verdicts: Sequence[dict[str, str]]) -> list[str]:
    """The stored topics with the latest verdicts applied: `wrong` removes, `missing` adds."""
    topics = set(stored)
    for verdict in verdicts:
        if verdict["verdict"] == "wrong":
            topics.discard(verdict["topic"])
        else:
            topics.add(verdict["topic"])
    return sorted(topics)


def _fooled(stored: Sequence[str], verdicts: Sequence[dict[str, str]]) -> bool:
    """A tag the tagger stored that the latest verdict calls wrong."""
    return any(v["verdict"] == "wrong" and v["topic"] in stored for v in verdicts)


def feedback_examples(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """One labelled example per corrected story, as a line of tests/data/devset.jsonl: id,
    lang, title, text, topics (the stored tags as corrected), note, url, the latest verdict
    per topic under `corrections`, and `hard_negative`: a stored tag was marked wrong, so
    the story fooled the tagger (the trainer weighs such stories double)."""
    examples = []
    for article_id, lang, title, text, url, stored, verdicts, notes in con.execute(
            statement("feedback/examples")).fetchall():
        examples.append({
            "id": article_id, "lang": lang, "title": title or "", "text": text,
            "topics": corrected_topics(stored, verdicts), "note": " | ".join(notes),
            "url": url, "corrections": verdicts, "hard_negative": _fooled(stored, verdicts),
        })
    return examples
