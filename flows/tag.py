"""The tag stage: topic tags with their matched terms, and places, for extracted articles."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flows.extract import read_jsonl, write_jsonl
from flows.tagging.places import Gazetteer, find_places, load_gazetteer
from flows.tagging.tagger import Tagger


def tag_article(article: dict[str, Any], tagger: Tagger, tagged_at: str) -> list[dict[str, Any]]:
    """One row per topic the tagger assigns to one article."""
    result = tagger.tag(article.get("title") or "", article.get("text") or "",
                        article.get("language"))
    return [{
        "article_id": article["article_id"],
        "topic": topic,
        "score": result.scores.get(topic, 0.0),
        "matches": [dataclasses.asdict(m) for m in result.matches.get(topic, [])],
        "topics_version": tagger.version,
        "tagged_at": tagged_at,
    } for topic in result.topics]


def place_article(article: dict[str, Any], gazetteer: Gazetteer | None) -> dict[str, Any]:
    """The article's countries and places, as a places.jsonl row."""
    countries, places = find_places(article.get("title") or "", article.get("text") or "",
                                    gazetteer)
    return {"article_id": article["article_id"], "countries": countries, "places": places}


def tag_rows(articles: Iterable[dict[str, Any]], tagger: Tagger) -> Iterator[dict[str, Any]]:
    """One row per (article, topic) the tagger assigns."""
    now = datetime.now(UTC).isoformat()
    for article in articles:
        yield from tag_article(article, tagger, now)


def gazetteer_for(tagger: Tagger) -> Gazetteer | None:
    """The places.toml beside the tagger's topics.toml; None: the default gazetteer."""
    places_file = tagger.path.parent / "places.toml" if tagger.path else None
    return load_gazetteer(places_file) if places_file and places_file.exists() else None


def tag_source(source_dir: Path, tagger: Tagger, gazetteer: Gazetteer | None = None) -> int:
    """Tag extracted.jsonl into tagged.jsonl and places.jsonl; the number of topic tags."""
    gazetteer = gazetteer or gazetteer_for(tagger)
    write_jsonl(source_dir / "places.jsonl",
                (place_article(a, gazetteer) for a in read_jsonl(source_dir / "extracted.jsonl")))
    return write_jsonl(source_dir / "tagged.jsonl",
                       tag_rows(read_jsonl(source_dir / "extracted.jsonl"), tagger))
