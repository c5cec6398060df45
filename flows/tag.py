"""The tag stage: topic tags with their matched terms for a source's extracted articles."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows.extract import read_jsonl, write_jsonl
from flows.tagging.tagger import Tagger


def tag_rows(articles: Iterator[dict[str, Any]], tagger: Tagger) -> Iterator[dict[str, Any]]:
    """One row per (article, topic) the tagger assigns."""
    now = datetime.now(UTC).isoformat()
    for article in articles:
        result = tagger.tag(article.get("title") or "", article["text"], article.get("language"))
        for topic in result.topics:
            yield {
                "article_id": article["article_id"],
                "topic": topic,
                "score": result.scores.get(topic, 0.0),
                "matches": [dataclasses.asdict(m) for m in result.matches.get(topic, [])],
                "topics_version": tagger.version,
                "tagged_at": now,
            }


def tag_source(source_dir: Path, tagger: Tagger) -> int:
    """Tag extracted.jsonl into tagged.jsonl; the number of (article, topic) tags."""
    return write_jsonl(source_dir / "tagged.jsonl",
                       tag_rows(read_jsonl(source_dir / "extracted.jsonl"), tagger))
