"""Reading stories for people: a filtered list, one story with its tags, versions and
neighbours. The workspace (flows/web) and the API call these; statements:
warehouse/statements/stories/."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache
from typing import Any

import duckdb

from warehouse.sql import records, statement

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000  # an export of the current result holds at most this many stories


@dataclass(frozen=True)
class StoryFilter:
    """What a monitor narrowed the stories to; every field empty means every matched story."""
    query: str = ""
    topics: tuple[str, ...] = ()
    country: str | None = None
    outlet: str | None = None
    language: str | None = None
    day_from: date | None = None
    day_to: date | None = None
    matched_only: bool = True

    def params(self, ids: list[str] | None) -> dict[str, Any]:
        return {"matched_only": self.matched_only, "topics": list(self.topics),
                "country": self.country, "outlet": self.outlet, "language": self.language,
                "day_from": self.day_from, "day_to": self.day_to, "ids": id_list(ids)}


def id_list(ids: list[str] | None) -> str | None:
    """Article ids as the statements take them: a JSON array (binding a Python list of
    2,000 strings costs DuckDB's client half a second, one string nothing)."""
    return None if ids is None else json.dumps(ids)


@dataclass(frozen=True)
class TopicMatch:
    """A topic of a story: its score and the matches (query term, words, field, offsets);
    ``borderline``: the borderline model's probability when it decided the tag."""
    topic: str
    score: float
    matches: list[dict[str, Any]]
    borderline: float | None = None

    @property
    def terms(self) -> list[tuple[str, list[str]]]:
        """Each query term that fired with the distinct words it matched, in text order."""
        found: dict[str, list[str]] = {}
        for m in self.matches:
            words = found.setdefault(m.get("term") or "", [])
            if m.get("surface") and m["surface"] not in words:
                words.append(m["surface"])
        return list(found.items())


@dataclass(frozen=True)
class StoryRow:
    article_id: str
    source_id: str
    outlet: str
    countries: list[str]
    places: list[str]
    language: str | None
    published_at: datetime | None
    first_seen_at: datetime
    day: date
    title: str | None
    description: str | None
    url: str
    topics: list[str]
    top_score: float | None
    capture_id: str
    fetched_at: datetime
    text: str
    tags: list[TopicMatch] = field(default_factory=list)


@dataclass(frozen=True)
class StoryPage:
    stories: list[StoryRow]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class Version:
    text_sha1: str
    capture_id: str
    title: str | None
    text: str
    run_id: str
    extracted_at: datetime
    fetched_at: datetime | None


@dataclass(frozen=True)
class StoryDetail:
    story: StoryRow
    author: str | None
    canonical_url: str | None
    warc_file: str
    warc_offset: int
    content_sha1: str
    http_status: int


def list_stories(con: duckdb.DuckDBPyConnection, story_filter: StoryFilter,
                 ids: list[str] | None = None, *, offset: int = 0,
                 limit: int = PAGE_SIZE) -> StoryPage:
    """One page of the stories the filter selects, newest first, each with its tags.
    `ids`: the articles a search found (None: no search)."""
    params = story_filter.params(ids)
    total = con.execute(*story_query("count", ids, params)).fetchone()[0]
    cursor = con.execute(*story_query("page", ids, {**params, "offset": offset,
                                                    "limit": limit}))
    rows = [StoryRow(**row) for row in records(cursor)]
    return StoryPage(with_tags(con, rows), total, offset, limit)


def export_statement(story_filter: StoryFilter, ids: list[str] | None = None
                     ) -> tuple[str, dict[str, Any]]:
    """The statement and parameters of the filter's whole result (for exports), newest
    first."""
    return story_query("page", ids, {**story_filter.params(ids), "offset": 0,
                                     "limit": EXPORT_LIMIT})


def story_query(kind: str, ids: list[str] | None, params: dict[str, Any]
                ) -> tuple[str, dict[str, Any]]:
    """The stories the filters select, as `kind` "page" (stories/page_of: a page of rows) or
    "count" (stories/count_of), after the selection: stories/selected over every article,
    or with a search's ids stories/selected_hits, the same articles chosen from the hits
    alone (a search of 2,000 hits with a topic or a country at 100,000 articles: see
    bench/web_results.md)."""
    selection = "stories/selected" if ids is None else "stories/selected_hits"
    return filtered(selection, params, then=statement(f"stories/{kind}_of"))


_ONLY_WITH = re.compile(r"^\s*-- only with \$(\w+)\s*$")
_END_OF_FILTERS = re.compile(r"^\s*-- end of the filters\s*$")
_PARAMETER = re.compile(r"\$(\w+)")


@cache
def _filter_blocks(name: str) -> tuple[tuple[str | None, str], ...]:
    """The statement's text in pieces, each filter's marked with the parameter it needs."""
    blocks: list[tuple[str | None, list[str]]] = [(None, [])]
    for line in statement(name).splitlines(keepends=True):
        if found := _ONLY_WITH.match(line):
            blocks.append((found.group(1), [line]))
        elif _END_OF_FILTERS.match(line):
            blocks.append((None, [line]))
        else:
            blocks[-1][1].append(line)
    return tuple((needs, "".join(lines)) for needs, lines in blocks)


def filtered(name: str, params: dict[str, Any], then: str = "") -> tuple[str, dict[str, Any]]:
    """Statement NAME without the filters whose parameter is empty (None, false, no topics),
    and the parameters the rest uses. Each filter reads `($country IS NULL OR ...)`, true
    when the parameter is empty, but DuckDB plans a prepared statement for any value: each
    filter left in costs a hash join over every article (the count at 100,000 articles
    and no filter: 31 -> 20 ms). The blocks are the file's own lines, marked `-- only with
    $name`; the statement is the same with all of them in. `then`: text that follows it
    (the rest of a statement it begins)."""
    text = "".join(block for needs, block in _filter_blocks(name)
                   if needs is None or params[needs] not in (None, False, [])) + then
    used = set(_PARAMETER.findall(re.sub(r"--[^\n]*", "", text)))
    return text, {k: v for k, v in params.items() if k in used}


def with_tags(con: duckdb.DuckDBPyConnection, rows: list[StoryRow]) -> list[StoryRow]:
    """The rows with their topics' scores and matches filled in."""
    if not rows:
        return rows
    tags: dict[str, list[TopicMatch]] = {}
    cursor = con.execute(statement("stories/topics"),
                         {"ids": id_list([r.article_id for r in rows])})
    for article_id, topic, score, matches, borderline in cursor.fetchall():
        tags.setdefault(article_id, []).append(
            TopicMatch(topic, score, json.loads(matches), borderline))
    return [replace(r, tags=tags.get(r.article_id, [])) for r in rows]


def story_detail(con: duckdb.DuckDBPyConnection, article_id: str) -> StoryDetail | None:
    cursor = con.execute(statement("stories/one"), {"article_id": article_id})
    found = records(cursor)
    if not found:
        return None
    row = found[0]
    extra = {k: row.pop(k) for k in ("author", "canonical_url", "warc_file", "warc_offset",
                                      "content_sha1", "http_status")}
    story = with_tags(con, [StoryRow(**row)])[0]
    return StoryDetail(story, **extra)


def story_versions(con: duckdb.DuckDBPyConnection, article_id: str) -> list[Version]:
    cursor = con.execute(statement("stories/versions"), {"article_id": article_id})
    return [Version(**row) for row in records(cursor)]


def neighbour_leads(con: duckdb.DuckDBPyConnection, story: StoryRow,
                    days: int = 3) -> list[dict[str, Any]]:
    """Stories of other outlets within `days` days: candidates for "also reported by"."""
    cursor = con.execute(statement("stories/neighbours"), {
        "day": story.day, "days": days, "source_id": story.source_id,
        "article_id": story.article_id})
    return records(cursor)


def filter_choices(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    """Per filter (outlet, country, language): (value, label) pairs to choose from."""
    choices: dict[str, list[tuple[str, str]]] = {"outlet": [], "country": [], "language": []}
    for kind, value, label in con.execute(statement("stories/choices")).fetchall():
        choices[kind].append((value, label or value))
    return choices

