"""Exactly once: two runs report only new stories; `alerts --dry-run` previews. (A crash
mid-send and `--resend`: tests/e2e/test_alerts_crash.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from flows.alerts.delivery import run_alerts
from flows.settings import SettingsError, load_settings
from tests.helpers import config_dir, invoke, load_articles
from tests.helpers import police_story as story
from warehouse.connection import WAREHOUSE_FILE, open_warehouse


def test_second_run_reports_only_stories_first_seen_in_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    settings = load_settings(config_dir(tmp_path), data)
    load_articles(data, "run1", [story("a1", "Первая"), story("a2", "Вторая", "24kg")])
    with open_warehouse(data) as con:
        first = run_alerts(con, settings, "run1", data / "reports")
    load_articles(data, "run2", [story("b1", "Третья", "asia-plus")])
    with open_warehouse(data) as con:
        second = run_alerts(con, settings, "run2", data / "reports")
    one = json.loads(first[0].json.read_text())
    two = json.loads(second[0].json.read_text())
    assert sorted(s["article_id"] for s in one["stories"]) == ["a1", "a2"]
    assert [s["article_id"] for s in two["stories"]] == ["b1"]
    assert "Третья" in second[0].html.read_text() and "Первая" not in second[0].html.read_text()
    assert second[0].markdown.name == "run2-rights.md"


def test_dry_run_previews_and_marks_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = config_dir(tmp_path)
    load_articles(data, "run1", [story("a1", "Задержание в Оше")])
    args = ["--config", str(config), "--data", str(data)]
    preview = invoke([*args, "alerts", "--rule", "rights", "--dry-run"])
    assert "Задержание в Оше" in preview.stdout and "nothing sent" in preview.stdout
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        assert con.execute("select count(*) from alert_deliveries").fetchone()[0] == 0
        assert con.execute("select count(*) from alert_outbox").fetchone()[0] == 0
    unknown = invoke([*args, "alerts", "--rule", "nope", "--dry-run"], check=False)
    assert unknown.returncode == 1 and "no alert rule 'nope'" in unknown.stderr


def test_rule_naming_an_undefined_channel_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"names channel 'mail'.*\[alerts.channels.mail\]"):
        load_settings(config_dir(tmp_path, rule_channels='["mail"]'))

