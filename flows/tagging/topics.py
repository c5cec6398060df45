"""topics.toml as plain data: each topic's label, description, settings and query texts."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawlers.language import REGISTRY, TOPIC_LANGUAGES
from crawlers.tomlconfig import ConfigError, decode_utf8, loads_toml

_SETTING_KEYS = {"min_score", "title_weight", "short_text", "lede_tags", "stricter_min_score"}
_TOPIC_KEYS = {"label", "description", "queries", "shared", "ignore", "stricter"} | _SETTING_KEYS


class TopicsConfigError(ConfigError):
    """topics.toml holds something the tagger cannot use. For a bad query: the query's text
    and the offset of the problem in it, when known (to point at the file's line)."""

    def __init__(self, message: str, query: str | None = None,
                 offset: int | None = None) -> None:
        super().__init__(message)
        self.query, self.offset = query, offset


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
    # Per language, the queries of the kinds of story ([kinds.NAME]) where the topic's words
    # are mostly incidental (police in a crash report): there it needs stricter_min_score.
    stricter: dict[str, list[str]] = field(default_factory=dict)
    min_score: float = 2.0
    title_weight: float = 2.0
    # A brief (text of at most short_text characters; 0: no such rule) is also tagged when
    # its lede (FieldIndex.lede) has a hit: in a brief, the lede is the whole story.
    short_text: float = 0.0
    # A hit in the text's lede tags the topic at any length: news opens on its subject, and
    # for some topics (protest) a mention there is never a passing one.
    lede_tags: bool = False
    stricter_min_score: float = 0.0  # 0: min_score + 1

    @property
    def strict_score(self) -> float:
        return self.stricter_min_score or self.min_score + 1

    def sources(self, lang: str) -> list[str]:
        """Query texts that apply to ``lang``: its own query and the shared ones."""
        own = [self.queries[lang]] if lang in self.queries else []
        return own + [s.query for s in self.shared if lang in s.languages]


@dataclass(frozen=True)
class TopicsFile:
    topics: tuple[TopicSpec, ...]
    version: str


def _unknown(lang: str) -> str:
    """Why `lang` cannot hold queries (a region language without queries, or no language)."""
    if lang in REGISTRY:
        return (f"{REGISTRY[lang].name} ({lang!r}) has no topic queries yet (crawlers/"
                f"language.py: topic_queries); query languages: {TOPIC_LANGUAGES}")
    return f"unknown language {lang!r}; known: {TOPIC_LANGUAGES}"


def _languages(values: Any, where: str) -> tuple[str, ...]:
    if not isinstance(values, list) or not values:
        raise TopicsConfigError(f"{where}: 'languages' must be a non-empty list")
    unknown = [v for v in values if v not in TOPIC_LANGUAGES]
    if unknown:
        raise TopicsConfigError(f"{where}: {_unknown(unknown[0])}")
    return tuple(values)


def _per_language(table: Any, where: str) -> dict[str, str]:
    if not isinstance(table, dict):
        raise TopicsConfigError(f"{where} must be a table of language = query")
    for lang, query in table.items():
        if lang not in TOPIC_LANGUAGES:
            raise TopicsConfigError(f"{where}: {_unknown(lang)}")
        if not isinstance(query, str) or not query.strip():
            raise TopicsConfigError(f"{where}.{lang} must be a non-empty string")
    return dict(table)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise TopicsConfigError(f"{where} must be a positive number")
    return float(value)


def _kinds(table: Any) -> dict[str, dict[str, str]]:
    """``[kinds.NAME]`` tables: per language, a query telling a kind of story."""
    if not isinstance(table, dict):
        raise TopicsConfigError("[kinds] must hold [kinds.<name>] tables of language = query")
    return {name: _per_language(queries, f"kinds.{name}") for name, queries in table.items()}


def _stricter(names: Any, kinds: dict[str, dict[str, str]], where: str) -> dict[str, list[str]]:
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise TopicsConfigError(f"{where} must be a list of [kinds] names")
    unknown = [n for n in names if n not in kinds]
    if unknown:
        raise TopicsConfigError(f"{where}: no [kinds.{unknown[0]}] table; the kinds are: "
                                f"{', '.join(kinds) or 'none'}")
    out: dict[str, list[str]] = {}
    for name in names:
        for lang, query in kinds[name].items():
            out.setdefault(lang, []).append(query)
    return out


def _topic(tid: str, entry: Any, defaults: dict[str, Any],
           kinds: dict[str, dict[str, str]]) -> TopicSpec:
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
        stricter=_stricter(entry.get("stricter", []), kinds, f"{where}.stricter"),
        min_score=_number(settings.get("min_score", 2), f"{where}.min_score"),
        title_weight=_number(settings.get("title_weight", 2), f"{where}.title_weight"),
        short_text=_number(settings["short_text"], f"{where}.short_text")
        if "short_text" in settings else 0.0,
        lede_tags=_flag(settings.get("lede_tags", False), f"{where}.lede_tags"),
        stricter_min_score=_number(settings["stricter_min_score"], f"{where}.stricter_min_score")
        if "stricter_min_score" in settings else 0.0,
    )
    if not spec.queries and not spec.shared:
        raise TopicsConfigError(f"{where} has no queries")
    return spec


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise TopicsConfigError(f"{where} must be true or false, not {value!r}")
    return value


def parse_topics(content: bytes, path: Path | str = "topics file") -> TopicsFile:
    """Read topics.toml content; the version is a short hash of exactly these bytes."""
    data = loads_toml(decode_utf8(content, path, TopicsConfigError), path, TopicsConfigError)
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict) or set(defaults) - _SETTING_KEYS:
        raise TopicsConfigError(f"[defaults] may only set {sorted(_SETTING_KEYS)}")
    topics = data.get("topics")
    if not isinstance(topics, dict) or not topics:
        raise TopicsConfigError("topics file has no [topics.<id>] tables")
    kinds = _kinds(data.get("kinds", {}))
    specs = tuple(_topic(tid, entry, defaults, kinds) for tid, entry in topics.items())
    return TopicsFile(specs, hashlib.sha256(content).hexdigest()[:12])


def load_topics(path: Path) -> TopicsFile:
    """The topics of a topics.toml file; any problem raises TopicsConfigError naming it."""
    try:
        content = Path(path).read_bytes()
    except FileNotFoundError:
        raise TopicsConfigError(f"{path}: no such file; pass --config DIR, a folder with "
                                "topics.toml") from None
    except OSError as exc:
        raise TopicsConfigError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    try:
        return parse_topics(content, path)
    except TopicsConfigError as error:
        raise in_file(error, path, content) from None


def in_file(error: TopicsConfigError, path: Path | str, content: bytes) -> TopicsConfigError:
    """``error`` naming ``path``, with the line and column of a bad query when its text is
    found once in the file as written (a literal string, as the shipped file uses)."""
    message = str(error)
    if message.startswith(str(path)):
        return error
    where = str(path)
    if error.query and error.offset is not None:
        text = content.decode("utf-8", errors="replace")
        start = text.find(error.query)
        if start >= 0 and text.find(error.query, start + 1) < 0:
            at = start + error.offset
            line_start = text.rfind("\n", 0, at) + 1
            where += f":{text.count(chr(10), 0, at) + 1}:{at - line_start + 1}"
    return TopicsConfigError(f"{where}: {message}", error.query, error.offset)
