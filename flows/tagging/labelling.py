"""Topic tags and places of one extracted article, and the parsed Tagger each thread uses.

Pure functions over an article row, so tagging runs wherever the article was just
extracted: in an extraction worker process, a Dask worker, or the nightly process.
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

from flows.tagging.places import Gazetteer, find_places, load_gazetteer
from flows.tagging.tagger import Tagger


def tag_article(article: dict[str, Any], tagger: Tagger, tagged_at: str) -> list[dict[str, Any]]:
    """One row per topic the tagger assigns to one article (``tagged``: true), then one per
    near miss, a topic whose query matched without tagging it (``tagged``: false)."""
    result = tagger.tag(article.get("title") or "", article.get("text") or "",
                        article.get("language"))

    def row(topic: str, tagged: bool, matches: list[Any]) -> dict[str, Any]:
        return {
            "article_id": article["article_id"],
            "topic": topic,
            "tagged": tagged,
            "score": result.scores.get(topic, 0.0),
            "matches": [dataclasses.asdict(m) for m in matches],
            "borderline": result.borderline.get(topic),  # None: the queries alone decided
            "topics_version": tagger.version,
            "tagged_at": tagged_at,
        }

    return ([row(topic, True, result.matches.get(topic, [])) for topic in result.topics]
            + [row(topic, False, terms) for topic, terms in result.near.items()])


def is_tag(row: dict[str, Any]) -> bool:
    """Whether a topic row of tagged.jsonl is a tag (rows staged before near misses were
    kept have no ``tagged``: all were tags)."""
    return row.get("tagged", True) is not False


def place_article(article: dict[str, Any], gazetteer: Gazetteer | None) -> dict[str, Any]:
    """The article's countries and places, as a places.jsonl row."""
    countries, places = find_places(article.get("title") or "", article.get("text") or "",
                                    gazetteer)
    return {"article_id": article["article_id"], "countries": countries, "places": places}


def gazetteer_for(tagger: Tagger) -> Gazetteer | None:
    """The places.toml beside the tagger's topics.toml; None: the default gazetteer."""
    places_file = tagger.path.parent / "places.toml" if tagger.path else None
    return load_gazetteer(places_file) if places_file and places_file.exists() else None


@dataclasses.dataclass(frozen=True)
class Labeller:
    """A Tagger and the gazetteer beside its topics file."""

    tagger: Tagger
    gazetteer: Gazetteer | None

    def tags(self, article: dict[str, Any], tagged_at: str) -> list[dict[str, Any]]:
        return tag_article(article, self.tagger, tagged_at)

    def places(self, article: dict[str, Any]) -> dict[str, Any]:
        return place_article(article, self.gazetteer)


_LABELLERS: dict[tuple[int, Path, bytes], Labeller] = {}
_LOCK = threading.Lock()


def worker_labeller(topics_file: Path) -> Labeller:
    """One parsed Labeller per thread and topics file content, kept for the process's life.
    Neither the query parser (luqum on ply) nor the Snowball stemmers are thread-safe:
    parsing is serialised, and each thread tags with its own Tagger."""
    key = (threading.get_ident(), topics_file.resolve(), topics_file.read_bytes())
    with _LOCK:
        if key not in _LABELLERS:
            tagger = Tagger.from_file(topics_file)
            _LABELLERS[key] = Labeller(tagger, gazetteer_for(tagger))
        return _LABELLERS[key]


def load_tagger(topics_file: Path) -> Tagger:
    """The calling thread's parsed Tagger of `topics_file`."""
    return worker_labeller(topics_file).tagger
