"""Near misses for people: the stories a topic's query matched without tagging them, for
monitors to check and correct (a missing topic is recorded in tag_feedback). The workspace's
/missed page and its story page call these; statements: warehouse/statements/near_misses/."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import duckdb

from warehouse.sql import statement
from warehouse.stories import PAGE_SIZE, TopicMatch


@dataclass(frozen=True)
class NearMiss:
    """A story and a topic its query matched without tagging it."""

    article_id: str
    title: str | None
    outlet: str
    language: str | None
    day: date
    url: str
    match: TopicMatch  # the topic, its score, what matched and the model's probability
    marked_missing: bool  # a monitor has since added the topic as missing


@dataclass(frozen=True)
class NearMissPage:
    rows: list[NearMiss]
    total: int
    offset: int
    limit: int


def near_miss_page(con: duckdb.DuckDBPyConnection, topic: str | None = None,
                   language: str | None = None, day_from: date | None = None, *,
                   offset: int = 0, limit: int = PAGE_SIZE) -> NearMissPage:
    """Near misses, the model's likeliest first, narrowed to a topic, a language and the
    days from ``day_from`` when given."""
    found = con.execute(statement("near_misses/page"), {
        "topic": topic, "language": language, "day_from": day_from, "limit": limit,
        "offset": offset}).fetchall()
    rows = [NearMiss(article_id, title, outlet, lang, day, url,
                     TopicMatch(topic_id, score, json.loads(matches), borderline), marked)
            for (article_id, title, outlet, lang, day, url, topic_id, score, borderline,
                 matches, marked, _) in found]
    return NearMissPage(rows, found[0][-1] if found else 0, offset, limit)


def story_near_misses(con: duckdb.DuckDBPyConnection, article_id: str) -> list[TopicMatch]:
    """The topics whose query matched this story without tagging it."""
    found = con.execute(statement("near_misses/of_story"), {"article_id": article_id})
    return [TopicMatch(topic, score, json.loads(matches), borderline)
            for topic, score, matches, borderline in found.fetchall()]
