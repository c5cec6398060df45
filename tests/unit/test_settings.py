"""settings.toml read into typed sections, checked once with one-line errors; the one
language registry that sources, topics, alert rules and detection share."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from crawlers.language import LANGUAGES, REGISTRY, TOPIC_LANGUAGES
from crawlers.sources import SourceConfigError, load_sources
from flows.cli.app import app
from flows.crawl import crawl_options
from flows.settings import CrawlSettings, SettingsError, load_settings
from flows.tagging.tagger import Tagger
from flows.tagging.topics import TopicsConfigError

CONFIG = Path(__file__).resolve().parents[2] / "config"


def settings_file(tmp_path: Path, text: str) -> Path:
    config = tmp_path / "config"
    config.mkdir(exist_ok=True)
    (config / "settings.toml").write_text(text, encoding="utf-8")
    return config


def test_the_shipped_settings_are_typed_sections() -> None:
    settings = load_settings(CONFIG)
    assert settings.crawl.max_parallel_sources == 6 and settings.crawl.max_page_mb == 10.0
    assert settings.crawl.requests_per_host is None  # commented out: the crawler's default
    assert settings.extract.workers == 2
    assert (settings.schedule.cron, settings.schedule.timezone) == ("0 2 * * *", "Asia/Almaty")
    assert settings.replay.sites == Path("tests/replay/sites")
    assert settings.orchestration.task_runner == "threads"
    assert [r.name for r in settings.alerts.rules] == ["all-topics"]
    assert not hasattr(settings, "raw")


def test_an_empty_file_takes_the_defaults_and_names_no_replay_web(tmp_path: Path) -> None:
    settings = load_settings(settings_file(tmp_path, ""))
    assert settings.crawl == CrawlSettings() and settings.replay.sites is None
    assert [c.name for c in settings.alerts.channels] == ["file"]


@pytest.mark.parametrize(("text", "expected"), [
    ("[crawl]\nmax_parallel_sources = 'six'\n",
     "[crawl] max_parallel_sources = 'six' is not a whole number"),
    ("[crawl]\nmax_paralel_sources = 6\n", "[crawl] max_paralel_sources is not a setting"),
    ("[extract]\nworkers = 0\n", "[extract] workers = 0 must be at least 1"),
    ("[crawl]\nautothrottle = 'no'\n", "[crawl] autothrottle = 'no' is not true or false"),
    ("[crawl]\nuser_agent = 'bot/1.0'\n", "[crawl] user_agent 'bot/1.0' names no contact URL"),
    ("[orchestration]\ntask_runner = 'ray'\n", "[orchestration] task_runner = 'ray'"),
    ("[replay]\nsites = 3\n", "[replay] sites = 3 is not a path string"),
    ("[website]\nport = 1\n", "[website] is not a section of settings.toml"),
    ("[web]\nport = 0\n", "[web] port = 0 must be at least 1"),
    ("[web]\nhots = '0.0.0.0'\n", "[web] hots is not a setting"),
    ("[[alerts.rules]]\nname = 'r'\ntopics = ['police']\nlanguages = ['xx']\n",
     "[[alerts.rules]] 'r' languages: 'xx' is not a language code"),
    ("[[alerts.rules]]\nname = 'r'\ntopic = ['police']\n",
     "[[alerts.rules]] 'r' topic is not a setting"),
])
def test_a_bad_setting_is_one_line_naming_file_section_and_key(tmp_path: Path, text: str,
                                                               expected: str) -> None:
    config = settings_file(tmp_path, text)
    with pytest.raises(SettingsError) as raised:
        load_settings(config)
    message = str(raised.value)
    assert message.startswith(f"{config / 'settings.toml'}: ") and "\n" not in message
    assert expected in message


def test_crawl_options_take_the_crawl_section() -> None:
    options = crawl_options(load_settings(CONFIG).crawl, "2026-01-01")
    assert options.plan.since == "2026-01-01" and options.plan.max_page_bytes == 10 * 1024 * 1024
    assert options.plan.retry_times == 2 and options.revisit_window_days == 3


def test_demo_without_a_replay_web_says_which_setting(tmp_path: Path) -> None:
    config = tmp_path / "config"
    config.mkdir()
    for name in ("sources.toml", "topics.toml", "places.toml"):
        (config / name).write_bytes((CONFIG / name).read_bytes())
    (config / "settings.toml").write_text("[data]\nfolder = 'data'\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--config", str(config), "--data", str(tmp_path / "d"),
                                      "demo"])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "[replay] sites is not set" in lines[0]
    (config / "settings.toml").write_text(f"[replay]\nsites = '{tmp_path / 'none'}'\n")
    result = CliRunner().invoke(app, ["--config", str(config), "--data", str(tmp_path / "d"),
                                      "demo"])
    assert result.exit_code == 1 and "[replay] sites" in result.stderr
    assert "is not a folder" in result.stderr


def test_one_language_registry() -> None:
    assert LANGUAGES == ("ru", "en", "kk", "ky", "uz", "tg", "tk")
    assert set(TOPIC_LANGUAGES) == set(LANGUAGES)  # Turkmen has queries of its own now
    assert {lang for s in load_sources(CONFIG / "sources.toml") for lang in s.languages} <= \
        set(REGISTRY)
    tagger = Tagger.from_file(CONFIG / "topics.toml")
    assert tagger.plan_language("tk") == "tk"
    assert tagger.plan_language("und") == "*"  # unknown: every language's queries


def test_sources_and_topics_are_checked_against_the_registry(tmp_path: Path) -> None:
    text = (CONFIG / "sources.toml").read_text(encoding="utf-8")
    bad = tmp_path / "sources.toml"
    bad.write_text(text.replace('languages = ["kk"]', 'languages = ["kz"]', 1), "utf-8")
    with pytest.raises(SourceConfigError, match=r"has languages \['kz'\]; use ISO 639-1"):
        load_sources(bad)
    with pytest.raises(TopicsConfigError, match=r"unknown language 'tm'"):
        Tagger.from_text("[topics.t.queries]\ntm = 'polisiýa*'\n")
