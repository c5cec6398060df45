"""Typed settings from config/settings.toml, handed to flows as parameters."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path


class SettingsError(ValueError):
    pass


@dataclass(frozen=True)
class AlertRule:
    name: str
    topics: tuple[str, ...]
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_score: float = 0.0
    channels: tuple[str, ...] = ("file",)


@dataclass(frozen=True)
class Settings:
    config_dir: Path
    data_dir: Path
    user_agent: str = "steppewatch/0.1"
    max_parallel_sources: int = 3
    source_timeout_minutes: float = 90
    source_retries: int = 1
    max_listing_pages: int = 3
    extract_workers: int = 2
    cron: str = "0 2 * * *"
    timezone: str = "Asia/Almaty"
    replay_sites: Path = Path("tests/replay/sites")
    alert_rules: tuple[AlertRule, ...] = field(default_factory=tuple)
    # The whole settings.toml, for areas that read a section of their own.
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def sources_file(self) -> Path:
        return self.config_dir / "sources.toml"

    @property
    def topics_file(self) -> Path:
        return self.config_dir / "topics.toml"


def _rules(raw: list[dict]) -> tuple[AlertRule, ...]:
    rules = []
    for entry in raw:
        try:
            rules.append(AlertRule(
                name=entry["name"], topics=tuple(entry.get("topics", ())),
                countries=tuple(entry.get("countries", ())),
                languages=tuple(entry.get("languages", ())),
                min_score=float(entry.get("min_score", 0.0)),
                channels=tuple(entry.get("channels", ("file",))),
            ))
        except KeyError:
            raise SettingsError(f"an alert rule lacks a name: {entry}") from None
    return tuple(rules)


def load_settings(config_dir: Path, data_dir: Path | None = None) -> Settings:
    """Settings of config_dir/settings.toml; data_dir, when given, wins over the file."""
    path = config_dir / "settings.toml"
    if not path.exists():
        raise SettingsError(f"no settings file at {path}; pass --config DIR with settings.toml")
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    crawl, extract, schedule = raw.get("crawl", {}), raw.get("extract", {}), raw.get("schedule", {})
    return Settings(
        config_dir=config_dir,
        data_dir=data_dir or Path(raw.get("data", {}).get("folder", "data")),
        user_agent=crawl.get("user_agent", Settings.user_agent),
        max_parallel_sources=int(crawl.get("max_parallel_sources", 3)),
        source_timeout_minutes=float(crawl.get("source_timeout_minutes", 90)),
        source_retries=int(crawl.get("source_retries", 1)),
        max_listing_pages=int(crawl.get("max_listing_pages", 3)),
        extract_workers=int(extract.get("workers", 2)),
        cron=schedule.get("cron", Settings.cron),
        timezone=schedule.get("timezone", Settings.timezone),
        replay_sites=Path(raw.get("replay", {}).get("sites", "tests/replay/sites")),
        alert_rules=_rules(raw.get("alerts", {}).get("rules", [])),
        raw=raw,
    )
