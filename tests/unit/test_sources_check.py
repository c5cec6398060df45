"""`steppewatch sources check` against the loopback replay: the outlets that changed
(tests/replay/changes) are told apart from the one that did not, each with what to change;
the replay of the real outlets needs no change."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.helpers import CONFIG, ROOT, invoke

CHANGES = ROOT / "tests" / "replay" / "changes"


def config_for(tmp_path: Path, sources: Path, sites: Path) -> Path:
    config = tmp_path / "config"
    config.mkdir()
    shutil.copy(sources, config / "sources.toml")
    settings = (CONFIG / "settings.toml").read_text("utf-8")
    (config / "settings.toml").write_text(
        re.sub(r"(?m)^sites = .*$", f'sites = "{sites}"', settings), "utf-8")
    return config


@pytest.fixture(scope="module")
def changes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    config = config_for(tmp_path_factory.mktemp("check"), CHANGES / "sources.toml", CHANGES)
    result = invoke(["--config", str(config), "sources", "check", "--replay"], check=False)
    assert result.returncode == 1, result.stderr  # some source needs a change
    blocks = re.split(r"(?m)^(?=\S)", result.stdout)
    return {b.split(" ", 1)[0]: b for b in blocks if b.strip()}


def test_a_changed_url_scheme_shows_its_misses_and_asks_to_widen_the_pattern(
        changes: dict[str, str]) -> None:
    text = changes["renamed"]
    assert "listing  https://renamed.example/: reachable" in text
    assert "3 article links, 0 match the pattern, 3 look like articles but do not" in text
    assert "miss:  https://renamed.example/stories/2026/11/27/" in text
    assert "fail article_pattern" in text and "widen it" in text
    assert "listing  https://renamed.example/archive/: NOT reachable (404), forbidden by " \
        "robots.txt" in text
    assert "https://renamed.example/archive/ is forbidden by robots.txt" in text


def test_a_move_names_the_new_host(changes: dict[str, str]) -> None:
    text = changes["moved"]
    assert "redirected to https://moved-new.example/" in text
    assert "redirects to moved-new.example: if the outlet moved, add the host" in text


def test_a_move_to_a_declared_host_needs_no_change(changes: dict[str, str]) -> None:
    text = changes["relocated"]
    assert "redirected to https://relocated-new.example/rss.xml" in text
    assert "2 article links, 2 match the pattern" in text
    assert "to change: nothing" in text


def test_the_replay_of_real_outlets_needs_no_change(tmp_path: Path) -> None:
    config = config_for(tmp_path, CONFIG / "sources.toml", ROOT / "tests" / "replay" / "sites")
    result = invoke(["--config", str(config), "sources", "check", "--replay",
                     "azattyk", "kaktus", "asia-plus"], check=False)
    assert result.returncode == 0, result.stdout
    assert result.stdout.count("to change: nothing") == 3
    assert "feed     https://www.azattyk.org/api/zrqiteuuir: reachable" in result.stdout


def test_an_unknown_id_is_one_line(tmp_path: Path) -> None:
    result = invoke(["sources", "check", "no-such-outlet"], check=False)
    assert result.returncode == 1
    assert "unknown source ids ['no-such-outlet']" in result.stderr
