"""The tag stage: topic tags with their matched terms, and places, for extracted articles."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from crawlers.staging import SourceStaging, read_jsonl, write_jsonl
from flows.tagging.labelling import gazetteer_for, is_tag, place_article, tag_article
from flows.tagging.places import Gazetteer
from flows.tagging.tagger import Tagger


def tag_rows(articles: Iterable[dict[str, Any]], tagger: Tagger) -> Iterator[dict[str, Any]]:
    """One row per (article, topic) the tagger assigns, and per near miss."""
    now = datetime.now(UTC).isoformat()
    for article in articles:
        yield from tag_article(article, tagger, now)


def tag_source(source_dir: Path, tagger: Tagger, gazetteer: Gazetteer | None = None) -> int:
    """Tag extracted.jsonl into tagged.jsonl and places.jsonl; the number of topic tags."""
    gazetteer = gazetteer or gazetteer_for(tagger)
    staging = SourceStaging.at(source_dir)
    write_jsonl(staging.places,
                (place_article(a, gazetteer) for a in read_jsonl(staging.extracted)))
    tags = 0

    def counted(rows: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        nonlocal tags
        for row in rows:
            tags += is_tag(row)
            yield row

    write_jsonl(staging.tagged, counted(tag_rows(read_jsonl(staging.extracted), tagger)))
    return tags
