"""Typed settings from config/settings.toml, handed to flows as parameters.

Each section of the file is a frozen dataclass below (`[crawl]` is CrawlSettings, ...),
read and checked once by `load_settings`: a wrong type, an unknown key or a bad value is
one line naming the file, the section and the key. Stages take the section they use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from types import UnionType
from typing import Any, get_type_hints

from crawlers.language import LANGUAGES
from crawlers.tomlconfig import ConfigError, read_toml


class SettingsError(ConfigError):
    pass


@dataclass(frozen=True)
class CrawlSettings:
    """[crawl]: how sources are crawled (docs/CRAWLING.md). A politeness value left as None
    keeps the crawler's default (crawlers/settings.py)."""
    user_agent: str = "steppewatch/0.1"
    max_parallel_sources: int = field(default=3, metadata={"min": 1})
    source_timeout_minutes: float = field(default=90, metadata={"min": 0.1})
    source_retries: int = 1
    max_listing_pages: int = 3
    backfill_max_pages: int = 500
    revisit_after_hours: int = 24
    revisit_times: int = 1
    revisit_window_days: int = 3
    revisit_max_interval_hours: int = field(default=168, metadata={"min": 1})
    revisit_age_fraction: float = 0.25
    revisit_matched_days: int = 30
    revisit_per_host: int = 200
    download_timeout_seconds: float | None = None
    retry_times: int | None = None
    retry_backoff_seconds: float | None = None
    retry_after_max_seconds: float | None = None
    crawl_delay_max_seconds: float | None = None
    max_page_mb: float | None = None
    requests_per_host: int | None = field(default=None, metadata={"min": 1})
    autothrottle: bool | None = None


@dataclass(frozen=True)
class ExtractSettings:
    """[extract]: processes extracting (and tagging) articles."""
    workers: int = field(default=2, metadata={"min": 1})


@dataclass(frozen=True)
class ScheduleSettings:
    """[schedule]: when `steppewatch serve` runs the nightly (checked when serving)."""
    cron: str = "0 2 * * *"
    timezone: str = "Asia/Almaty"


@dataclass(frozen=True)
class ReplaySettings:
    """[replay]: the offline replay web `steppewatch demo` serves on loopback. A relative
    path starts at the folder steppewatch runs from, as [data] folder does."""
    sites: Path | None = None
    # Later states of the replay web, applied in order over `sites` (docs/REPLAY.md).
    overlays: tuple[str, ...] = ()


@dataclass(frozen=True)
class OrchestrationSettings:
    """[orchestration]: where the nightly's tasks run (flows/runners.py)."""
    task_runner: str = "threads"  # "threads" (Prefect's thread pool) or "dask"
    dask_address: str = ""  # tcp://HOST:8786 of an existing scheduler; empty: a local cluster
    dask_workers: int = field(default=2, metadata={"min": 1})


@dataclass(frozen=True)
class WebSettings:
    """[web]: the workspace `steppewatch web` serves (docs/WEB.md). `base_url`, when set, is
    where monitors reach it: reports then link each story to its story page there."""
    host: str = "127.0.0.1"
    port: int = field(default=8750, metadata={"min": 1})
    base_url: str = ""
    token_env: str = "STEPPEWATCH_WEB_TOKEN"  # names the variable holding the access token


@dataclass(frozen=True)
class AlertRule:
    name: str
    topics: tuple[str, ...]
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_score: float = 0.0
    channels: tuple[str, ...] = ("file",)
    changes: tuple[str, ...] = ()  # also report its stories' changes: "edited", "removed"


CHANNEL_TYPES = ("file", "email", "webhook", "telegram")
CHANGE_KINDS = ("edited", "removed")  # what a rule's `changes` may ask for (docs/ALERTS.md)
TASK_RUNNERS = ("threads", "dask")


@dataclass(frozen=True)
class AlertChannel:
    """A delivery channel: its type and non-secret options; secrets are named by `*_env` keys."""
    name: str
    type: str
    options: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class AlertSettings:
    """[alerts]: [[alerts.rules]] and [alerts.channels.NAME] (docs/ALERTS.md)."""
    rules: tuple[AlertRule, ...] = ()
    channels: tuple[AlertChannel, ...] = (AlertChannel("file", "file"),)


@dataclass(frozen=True)
class Settings:
    config_dir: Path
    data_dir: Path
    crawl: CrawlSettings = field(default_factory=CrawlSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    replay: ReplaySettings = field(default_factory=ReplaySettings)
    orchestration: OrchestrationSettings = field(default_factory=OrchestrationSettings)
    alerts: AlertSettings = field(default_factory=AlertSettings)
    web: WebSettings = field(default_factory=WebSettings)

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.toml"

    @property
    def sources_file(self) -> Path:
        return self.config_dir / "sources.toml"

    @property
    def topics_file(self) -> Path:
        return self.config_dir / "topics.toml"


_SECTIONS: dict[str, type] = {
    "crawl": CrawlSettings, "extract": ExtractSettings, "schedule": ScheduleSettings,
    "replay": ReplaySettings, "orchestration": OrchestrationSettings, "web": WebSettings,
}
_KNOWN = ("data", *_SECTIONS, "alerts")
_RULE_KEYS = tuple(f.name for f in fields(AlertRule))


def _value(value: Any, kind: Any, where: str) -> Any:
    """`value` of TOML as the type `kind` of a setting; SettingsError naming `where`."""
    if value is None or kind is Any:
        return value
    if isinstance(kind, UnionType):  # X | None: the X
        kind = next(t for t in kind.__args__ if t is not type(None))
    if kind is bool and isinstance(value, bool):
        return value
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind in (str, Path) and isinstance(value, str):
        return kind(value)
    if kind == tuple[str, ...] and isinstance(value, list) and all(
            isinstance(v, str) for v in value):
        return tuple(value)
    wanted = {bool: "true or false", int: "a whole number", float: "a number",
              str: "a string", Path: "a path string"}.get(kind, "a list of strings")
    raise SettingsError(f"{where} = {value!r} is not {wanted}")


def _table(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise SettingsError(f"{where} must be a table (key = value lines under it)")
    return value


def _unknown(table: dict[str, Any], known: tuple[str, ...], where: str) -> None:
    unknown = [key for key in table if key not in known]
    if unknown:
        raise SettingsError(f"{where} {unknown[0]} is not a setting; known: {', '.join(known)}")


def _section(cls: type, table: Any, name: str) -> Any:
    """The dataclass `cls` of the [name] table: its keys typed and checked."""
    table = _table(table, f"[{name}]")
    hints = get_type_hints(cls)
    known = tuple(f.name for f in fields(cls))
    _unknown(table, known, f"[{name}]")
    values = {}
    for spec in fields(cls):
        if spec.name not in table:
            continue
        where = f"[{name}] {spec.name}"
        value = _value(table[spec.name], hints[spec.name], where)
        minimum = spec.metadata.get("min", 0)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value < minimum:
            raise SettingsError(f"{where} = {value!r} must be at least {minimum}")
        values[spec.name] = value
    return cls(**values)


def _crawl(table: Any) -> CrawlSettings:
    crawl: CrawlSettings = _section(CrawlSettings, table, "crawl")
    if "user_agent" in _table(table, "[crawl]") and "http" not in crawl.user_agent:
        raise SettingsError(
            f"[crawl] user_agent {crawl.user_agent!r} names no contact URL; add one, e.g. "
            "'steppewatch/0.1 (+https://example.org/steppewatch)'")
    return crawl


def _orchestration(table: Any) -> OrchestrationSettings:
    section: OrchestrationSettings = _section(OrchestrationSettings, table, "orchestration")
    if section.task_runner not in TASK_RUNNERS:
        raise SettingsError(f"[orchestration] task_runner = {section.task_runner!r}; "
                            f"use one of {', '.join(TASK_RUNNERS)}")
    return section


def _rules(raw: Any) -> tuple[AlertRule, ...]:
    if not isinstance(raw, list):
        raise SettingsError("[[alerts.rules]] must be tables, one per rule")
    rules = []
    for entry in raw:
        entry = _table(entry, "[[alerts.rules]]")
        if "name" not in entry:
            raise SettingsError(f"an alert rule lacks a name: {entry}")
        where = f"[[alerts.rules]] {entry['name']!r}"
        _unknown(entry, _RULE_KEYS, where)
        hints = get_type_hints(AlertRule)
        values = {key: _value(value, hints[key], f"{where} {key}")
                  for key, value in entry.items()}
        rules.append(AlertRule(**{"topics": (), **values}))
        if not re.fullmatch(r"[A-Za-z0-9_-]+", rules[-1].name):
            raise SettingsError(f"alert rule name {rules[-1].name!r}: use only letters, digits, "
                                f"- and _ (it names the report files)")
        wrong = [kind for kind in rules[-1].changes if kind not in CHANGE_KINDS]
        if wrong:
            raise SettingsError(f"{where} changes: {wrong[0]!r} is not a kind of change; "
                                f"use {', '.join(CHANGE_KINDS)}")
        unknown = [lang for lang in rules[-1].languages if lang not in LANGUAGES]
        if unknown:
            raise SettingsError(f"{where} languages: {unknown[0]!r} is not a language code; "
                                f"use {', '.join(LANGUAGES)}")
    return tuple(rules)


def _channels(raw: Any, rules: tuple[AlertRule, ...]) -> tuple[AlertChannel, ...]:
    """[alerts.channels.NAME] tables; `file` exists without one. Rules may name only these."""
    channels = {"file": AlertChannel("file", "file")}
    for name, entry in _table(raw, "[alerts.channels]").items():
        entry = _table(entry, f"[alerts.channels.{name}]")
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


def _alerts(table: Any) -> AlertSettings:
    table = _table(table, "[alerts]")
    _unknown(table, ("rules", "channels"), "[alerts]")
    rules = _rules(table.get("rules", []))
    return AlertSettings(rules, _channels(table.get("channels", {}), rules))


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


def _settings(raw: dict, config_dir: Path, data_dir: Path | None) -> Settings:
    unknown = [name for name in raw if name not in _KNOWN]
    if unknown:
        raise SettingsError(f"[{unknown[0]}] is not a section of settings.toml; "
                            f"known: {', '.join(_KNOWN)}")
    data = _table(raw.get("data", {}), "[data]")
    _unknown(data, ("folder",), "[data]")
    return Settings(
        config_dir=config_dir,
        data_dir=data_dir or _value(data.get("folder", "data"), Path, "[data] folder"),
        crawl=_crawl(raw.get("crawl", {})),
        extract=_section(ExtractSettings, raw.get("extract", {}), "extract"),
        schedule=_section(ScheduleSettings, raw.get("schedule", {}), "schedule"),
        replay=_section(ReplaySettings, raw.get("replay", {}), "replay"),
        orchestration=_orchestration(raw.get("orchestration", {})),
        alerts=_alerts(raw.get("alerts", {})),
        web=_section(WebSettings, raw.get("web", {}), "web"),
    )
