"""Outlets to crawl, read from sources.toml (plain data, one [[source]] each)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from crawlers import telegram
from crawlers.language import LANGUAGES
from crawlers.tomlconfig import ConfigError, read_toml

FAMILIES = {"pangea", "wordpress", "custom", telegram.FAMILY}


class SourceConfigError(ConfigError):
    """sources.toml holds an entry that cannot be crawled."""


@dataclass(frozen=True)
class Source:
    id: str
    name: str
    family: str
    countries: tuple[str, ...]
    languages: tuple[str, ...]
    base_url: str
    article_pattern: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    listings: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    download_delay: float | None = None
    channel: str | None = None  # family "telegram": the public channel's name
    pages_per_night: int | None = None  # family "telegram": preview pages a night at most
    _pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_pattern", re.compile(self.article_pattern))

    @property
    def hosts(self) -> tuple[str, ...]:
        """Hosts the crawler may request: allowed_hosts, or the base URL's host."""
        return self.allowed_hosts or (urlsplit(self.base_url).hostname or "",)

    def is_article_url(self, url: str) -> bool:
        return self._pattern.fullmatch(url) is not None

    def start_urls(self) -> tuple[str, ...]:
        return self.feeds + self.sitemaps + self.listings


def _source_from_entry(entry: dict, path: Path) -> Source:
    sid = entry.get("id", "?")
    if entry.get("family") == telegram.FAMILY:
        try:
            entry = telegram.source_entry(entry)
        except ValueError as err:
            raise SourceConfigError(f"{path}: source {sid!r}: {err}") from None
    try:
        source = Source(
            id=entry["id"],
            name=entry["name"],
            family=entry["family"],
            countries=tuple(entry["countries"]),
            languages=tuple(entry["languages"]),
            base_url=entry["base_url"],
            article_pattern=entry["article_pattern"],
            feeds=tuple(entry.get("feeds", ())),
            sitemaps=tuple(entry.get("sitemaps", ())),
            listings=tuple(entry.get("listings", ())),
            allowed_hosts=tuple(entry.get("allowed_hosts", ())),
            download_delay=entry.get("download_delay"),
            channel=entry.get("channel"),
            pages_per_night=entry.get("pages_per_night"),
        )
    except KeyError as missing:
        raise SourceConfigError(f"{path}: source {sid!r} lacks field {missing}; add it") from None
    except re.error as err:
        raise SourceConfigError(
            f"{path}: source {sid!r} has a bad article_pattern: {err}") from None
    if source.family not in FAMILIES:
        raise SourceConfigError(
            f"{path}: source {sid!r} has family {source.family!r}; use one of {sorted(FAMILIES)}"
        )
    if not source.start_urls():
        raise SourceConfigError(f"{path}: source {sid!r} has no feeds, sitemaps or listings")
    unknown = [lang for lang in source.languages if lang not in LANGUAGES]
    if unknown or not source.languages:
        raise SourceConfigError(
            f"{path}: source {sid!r} has languages {list(source.languages)}; use ISO 639-1 "
            f"codes of {', '.join(LANGUAGES)} (crawlers/language.py)")
    return source


def load_sources(path: Path) -> list[Source]:
    """All sources of a sources.toml file, checked; ids must be unique."""
    entries = read_toml(path, SourceConfigError).get("source", [])
    sources = [_source_from_entry(entry, path) for entry in entries]
    ids = [s.id for s in sources]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise SourceConfigError(f"{path}: duplicate source ids {duplicated}")
    return sources
