"""Typed settings from config/settings.toml, handed to flows as parameters."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from crawlers.tomlconfig import ConfigError, read_toml


class SettingsError(ConfigError):
    pass


@dataclass(frozen=True)
class AlertRule:
    name: str
    topics: tuple[str, ...]
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_score: float = 0.0
    channels: tuple[str, ...] = ("file",)


CHANNEL_TYPES = ("file", "email", "webhook", "telegram")


@dataclass(frozen=True)
class AlertChannel:
    """A delivery channel: its type and non-secret options; secrets are named by `*_env` keys."""
    name: str
    type: str
    options: dict = field(default_factory=dict, compare=False)


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
    alert_channels: tuple[AlertChannel, ...] = (AlertChannel("file", "file"),)
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
        if not re.fullmatch(r"[A-Za-z0-9_-]+", rules[-1].name):
            raise SettingsError(f"alert rule name {rules[-1].name!r}: use only letters, digits, "
                                f"- and _ (it names the report files)")
    return tuple(rules)


def _channels(raw: dict, rules: tuple[AlertRule, ...]) -> tuple[AlertChannel, ...]:
    """[alerts.channels.NAME] tables; `file` exists without one. Rules may name only these."""
    channels = {"file": AlertChannel("file", "file")}
    for name, entry in raw.items():
        options = {k: v for k, v in entry.items() if k != "type"}
        kind = entry.get("type", "")
        if kind not in CHANNEL_TYPES:
            raise SettingsError(f"alert channel {name!r} has type {kind!r}; "
                                f"set type to one of {', '.join(CHANNEL_TYPES)}")
        channels[name] = AlertChannel(name, kind, options)
    for rule in rules:
        for name in rule.channels:
            if name not in channels:
                raise SettingsError(f"alert rule {rule.name!r} names channel {name!r}; "
                                    f"define it in [alerts.channels.{name}]")
    return tuple(channels.values())


def load_settings(config_dir: Path, data_dir: Path | None = None) -> Settings:
    """Settings of config_dir/settings.toml; data_dir, when given, wins over the file."""
    path = config_dir / "settings.toml"
    if not path.exists():
        raise SettingsError(f"no settings file at {path}; pass --config DIR with settings.toml")
    raw = read_toml(path, SettingsError)
    try:
        return _settings(raw, config_dir, data_dir)
    except SettingsError as error:
        raise SettingsError(f"{path}: {error}") from None
    except (AttributeError, TypeError, ValueError) as error:
        raise SettingsError(f"{path}: a setting has the wrong type ({error}); see the comments "
                            "in the shipped config/settings.toml") from None


def _settings(raw: dict, config_dir: Path, data_dir: Path | None) -> Settings:
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
        alert_rules=(rules := _rules(raw.get("alerts", {}).get("rules", []))),
        alert_channels=_channels(raw.get("alerts", {}).get("channels", {}), rules),
        raw=raw,
    )
