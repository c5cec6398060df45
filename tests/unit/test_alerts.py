"""Exactly once: two runs report only new stories; a crash mid-send never sends twice;
`alerts --dry-run` previews, `alerts --resend RUN` sends a past report on purpose."""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import duckdb
import pytest

from flows.alerts.delivery import run_alerts
from flows.settings import SettingsError, load_settings
from tests.helpers import BIN, ROOT, Article, config_dir, http_endpoint, load_articles, run_cli
from warehouse.connection import WAREHOUSE_FILE, open_warehouse

HOOK = """
[alerts.channels.hook]
type = "webhook"
url_env = "SW_TEST_HOOK_URL"
"""


def story(article_id: str, title: str, source: str = "kloop") -> Article:
    return Article(article_id, title, f"{title}: сотрудники милиции задержали {article_id}.",
                   {"police": ["милиции"]}, source)


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
    preview = run_cli([*args, "alerts", "--rule", "rights", "--dry-run"])
    assert "Задержание в Оше" in preview.stdout and "nothing sent" in preview.stdout
    with duckdb.connect(str(data / WAREHOUSE_FILE), read_only=True) as con:
        assert con.execute("select count(*) from alert_deliveries").fetchone()[0] == 0
        assert con.execute("select count(*) from alert_outbox").fetchone()[0] == 0
    unknown = run_cli([*args, "alerts", "--rule", "nope", "--dry-run"], check=False)
    assert unknown.returncode == 1 and "no alert rule 'nope'" in unknown.stderr


def test_rule_naming_an_undefined_channel_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match=r"names channel 'mail'.*\[alerts.channels.mail\]"):
        load_settings(config_dir(tmp_path, rule_channels='["mail"]'))


def test_crash_between_send_and_mark_never_sends_twice(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = config_dir(tmp_path, HOOK, '["hook"]')
    load_articles(data, "run1", [story("a1", "Пытки в ИВС"), story("a2", "Пикет", "24kg")])
    args = ["--config", str(config), "--data", str(data)]
    with http_endpoint() as hook:
        env = {**os.environ, "SW_TEST_HOOK_URL": f"{hook.url}/hook"}
        # The endpoint takes the message, then the sender dies before it can mark it.
        victim = subprocess.Popen([str(BIN / "steppewatch"), *args, "alerts"], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        hook.on_post = lambda _post: os.kill(victim.pid, signal.SIGKILL)
        victim.communicate(timeout=120)
        assert victim.returncode == -signal.SIGKILL and len(hook.posts) == 1
        hook.on_post = None

        after = run_cli([*args, "alerts"], env=env, check=False)
        assert after.returncode == 2 and "unconfirmed" in after.stdout
        assert len(hook.posts) == 1  # not sent again by itself
        with open_warehouse(data) as con:
            key, run_id, status = con.execute(
                "select delivery_key, run_id, status from alert_outbox").fetchone()
            assert status == "unconfirmed"
            assert con.execute("select count(*) from alert_deliveries").fetchone()[0] == 0
        assert hook.posts[0]["headers"]["Idempotency-Key"] == f"{key}-0"

        again = run_cli([*args, "alerts", "--resend", run_id], env=env)
        assert "sent" in again.stdout and len(hook.posts) == 2
        assert hook.posts[1]["json"] == hook.posts[0]["json"]  # the same report, on purpose
        assert hook.posts[1]["headers"]["Idempotency-Key"] != f"{key}-0"

        quiet = run_cli([*args, "alerts"], env=env)
        assert len(hook.posts) == 2, quiet.stdout
    with open_warehouse(data) as con:
        assert con.execute("select count(*) from alert_deliveries").fetchone()[0] == 2
        assert con.execute("select status from alert_outbox where delivery_key = ?",
                           [key]).fetchone()[0] == "sent"
