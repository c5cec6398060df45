"""topics.toml as plain data: each topic's label, description, settings and query texts."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flows.tagging.normalise import LANGUAGES

_TOPIC_KEYS = {
    "label", "description", "queries", "shared", "ignore", "min_score", "title_weight",
}  # fmt: skip
_SETTING_KEYS = {"min_score", "title_weight"}


class TopicsConfigError(ValueError):
    """topics.toml holds something the tagger cannot use."""


@dataclass(frozen=True)
class SharedQuery:
    languages: tuple[str, ...]
    query: str


@dataclass(frozen=True)
class TopicSpec:
    id: str
    label: str
    description: str
    queries: dict[str, str] = field(default_factory=dict)
    shared: tuple[SharedQuery, ...] = ()
    ignore: dict[str, str] = field(default_factory=dict)
    min_score: float = 2.0
    title_weight: float = 2.0

    def sources(self, lang: str) -> list[str]:
        """Query texts that apply to ``lang``: its own query and the shared ones."""
        own = [self.queries[lang]] if lang in self.queries else []
        return own + [s.query for s in self.shared if lang in s.languages]


@dataclass(frozen=True)
class TopicsFile:
    topics: tuple[TopicSpec, ...]
    version: str


def _languages(values: Any, where: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not values:
        raise TopicsConfigError(f"{where}: 'languages' must be a non-empty list")
    unknown = [v for v in values if v not in LANGUAGES]
    if unknown:
        raise TopicsConfigError(f"{where}: unknown languages {unknown}; known: {LANGUAGES}")
    return tuple(values)


def _per_language(table: Any, where: str) -> dict[str, str]:
    if not isinstance(table, dict):
        raise TopicsConfigError(f"{where} must be a table of language = query")
    for lang, query in table.items():
        if lang not in LANGUAGES:
            raise TopicsConfigError(f"{where}: unknown language {lang!r}; known: {LANGUAGES}")
        if not isinstance(query, str) or not query.strip():
            raise TopicsConfigError(f"{where}.{lang} must be a non-empty string")
    return dict(table)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise TopicsConfigError(f"{where} must be a positive number")
    return float(value)


def _topic(tid: str, entry: Any, defaults: dict[str, Any]) -> TopicSpec:
    where = f"topics.{tid}"
    if not isinstance(entry, dict):
        raise TopicsConfigError(f"{where} must be a table")
    unknown = set(entry) - _TOPIC_KEYS
    if unknown:
        raise TopicsConfigError(f"{where}: unknown keys {sorted(unknown)}")
    shared = []
    for i, item in enumerate(entry.get("shared", [])):
        if not isinstance(item, dict) or not isinstance(item.get("query"), str):
            raise TopicsConfigError(f"{where}.shared[{i}] needs 'languages' and 'query'")
        shared.append(SharedQuery(_languages(item.get("languages"), where), item["query"]))
    settings = {**defaults, **{k: entry[k] for k in _SETTING_KEYS if k in entry}}
    spec = TopicSpec(
        id=tid,
        label=str(entry.get("label", tid)),
        description=str(entry.get("description", "")),
        queries=_per_language(entry.get("queries", {}), f"{where}.queries"),
        shared=tuple(shared),
        ignore=_per_language(entry.get("ignore", {}), f"{where}.ignore"),
        min_score=_number(settings.get("min_score", 2), f"{where}.min_score"),
        title_weight=_number(settings.get("title_weight", 2), f"{where}.title_weight"),
    )
    if not spec.queries and not spec.shared:
        raise TopicsConfigError(f"{where} has no queries")
    return spec


def parse_topics(content: bytes) -> TopicsFile:
    """Read topics.toml content; the version is a short hash of exactly these bytes."""
    try:
        data = tomllib.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise TopicsConfigError(f"topics file is not valid TOML: {exc}") from exc
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict) or set(defaults) - _SETTING_KEYS:
        raise TopicsConfigError(f"[defaults] may only set {sorted(_SETTING_KEYS)}")
    topics = data.get("topics")
    if not isinstance(topics, dict) or not topics:
        raise TopicsConfigError("topics file has no [topics.<id>] tables")
    specs = tuple(_topic(tid, entry, defaults) for tid, entry in topics.items())
    return TopicsFile(specs, hashlib.sha256(content).hexdigest()[:12])


def load_topics(path: Path) -> TopicsFile:
    return parse_topics(Path(path).read_bytes())
