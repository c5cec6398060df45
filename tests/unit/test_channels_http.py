"""Webhook and Telegram channels posting to real HTTP endpoints on loopback."""

from __future__ import annotations

import logging
import random
from pathlib import Path

import pytest

from flows.alerts.delivery import run_alerts
from flows.settings import load_settings
from tests.helpers import (
    MALICIOUS_TITLE,
    Article,
    config_dir,
    http_endpoint,
    load_articles,
)
from warehouse.connection import open_warehouse

TOKEN = "123456:telegram-bot-token-secret"
HOOK_SECRET = "T000/B000/webhook-secret-path"


def channels(api: str) -> str:
    return f"""
[alerts.channels.slack]
type = "webhook"
url_env = "SW_TEST_WEBHOOK_URL"

[alerts.channels.tg]
type = "telegram"
chat_id = "-100200300"
token_env = "SW_TEST_TG_TOKEN"
api_base = "{api}"
"""


WORDS = [
    "правозащитники", "родственники", "задержанного", "обратились", "прокуратуру", "жалобой",
    "изолятор", "временного", "содержания", "адвокат", "суд", "следователь", "свидетели",
    "город", "область", "район", "вечером", "утром", "неделе", "журналистам", "сообщили",
    "заявили", "потребовали", "проверки",
]


def many_articles(n: int) -> list[Article]:
    """Distinct stories (shuffled words), so none is folded as a reprint of another."""
    return [Article(f"t{i:03d}", f"Жалоба на пытки № {i}",
                    "Сообщили о пытках. " + " ".join(random.Random(i).sample(WORDS, len(WORDS))),
                    {"torture": ["пытках"]}, ("kloop", "24kg", "asia-plus")[i % 3])
            for i in range(n)]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SW_TEST_TG_TOKEN", TOKEN)


def test_webhook_and_telegram_payloads(tmp_path: Path, env: None,
                                       monkeypatch: pytest.MonkeyPatch,
                                       caplog: pytest.LogCaptureFixture) -> None:
    data = tmp_path / "data"
    evil = Article("evil", MALICIOUS_TITLE, "Жалоба на пытки в ИВС.", {"torture": ["пытки"]})
    load_articles(data, "run1", [evil, *many_articles(40)])
    with http_endpoint() as hook, http_endpoint() as api:
        monkeypatch.setenv("SW_TEST_WEBHOOK_URL", f"{hook.url}/services/{HOOK_SECRET}")
        settings = load_settings(config_dir(tmp_path, channels(api.url), '["slack", "tg"]'), data)
        caplog.set_level(logging.DEBUG)
        with open_warehouse(data) as con:
            results = run_alerts(con, settings, "run1", data / "reports")
            stored = con.execute("select payload, last_error from alert_outbox").fetchall()
    assert {d.channel: d.status for d in results[0].deliveries} == {"slack": "sent", "tg": "sent"}

    assert hook.posts[0]["path"] == f"/services/{HOOK_SECRET}"
    assert hook.posts[0]["headers"]["Idempotency-Key"].endswith("-0")
    slack_text = "\n".join(p["json"]["text"] for p in hook.posts)
    assert "&lt;script&gt;" in slack_text and "<script" not in slack_text
    assert "<https://example.test/kloop/t000|Жалоба на пытки № 0>" in slack_text

    messages = [p["json"] for p in api.posts]
    assert all(p["path"] == f"/bot{TOKEN}/sendMessage" for p in api.posts)
    assert len(messages) >= 2  # 41 stories do not fit in one message
    assert all(m["parse_mode"] == "HTML" and m["chat_id"] == "-100200300" for m in messages)
    assert all(len(m["text"].encode("utf-16-le")) // 2 < 4096 for m in messages)
    telegram_text = "\n".join(m["text"] for m in messages)
    assert telegram_text.count("<a href=") == 41  # every story once, none cut in two
    assert "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in telegram_text
    assert "<script" not in telegram_text and "<img" not in telegram_text
    assert "<b>пытках</b>" in telegram_text

    everywhere = caplog.text + " ".join(str(v) for row in stored for v in row)
    everywhere += " ".join(p.read_text() for p in (data / "reports").rglob("*") if p.is_file())
    assert TOKEN not in everywhere and HOOK_SECRET not in everywhere


def test_failing_endpoint_keeps_stories_pending_and_next_run_sends_once(
        tmp_path: Path, env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    load_articles(data, "run1", many_articles(3))
    with http_endpoint() as hook, http_endpoint() as api:
        monkeypatch.setenv("SW_TEST_WEBHOOK_URL", f"{hook.url}/services/{HOOK_SECRET}")
        settings = load_settings(config_dir(tmp_path, channels(api.url), '["slack", "tg"]'), data)
        hook.statuses = [500]
        api.statuses = [502]
        with open_warehouse(data) as con:
            first = run_alerts(con, settings, "run1", data / "reports")
            pending = con.execute("select channel, status, last_error from alert_outbox "
                                  "order by channel").fetchall()
            undelivered = con.execute("select count(*) from alert_deliveries").fetchone()[0]
        assert [d.status for d in first[0].deliveries] == ["pending", "pending"]
        assert [(c, s) for c, s, _e in pending] == [("slack", "pending"), ("tg", "pending")]
        assert "HTTP 500" in pending[0][2] and HOOK_SECRET not in pending[0][2]
        assert TOKEN not in pending[1][2]
        assert undelivered == 0 and hook.posts == [] and api.posts == []

        load_articles(data, "run2", [Article("new1", "Пикет у акимата", "Жители вышли на пикет.",
                                             {"protest": ["пикет"]})])
        with open_warehouse(data) as con:
            second = run_alerts(con, settings, "run2", data / "reports")
            third = run_alerts(con, settings, "run3", data / "reports")
            delivered = con.execute("select channel, count(*) from alert_deliveries "
                                    "group by channel order by channel").fetchall()
    # run2 retries run1's message as it was, then sends its own new story, once each
    assert [(d.channel, d.run_id, d.status) for d in second[0].deliveries] == [
        ("slack", "run1", "sent"), ("slack", "run2", "sent"),
        ("tg", "run1", "sent"), ("tg", "run2", "sent")]
    assert third[0].deliveries == []
    assert len(hook.posts) == 2 and len(api.posts) == 2
    assert hook.posts[0]["json"]["text"].count("Жалоба на пытки №") == 3
    assert "Пикет у акимата" in hook.posts[1]["json"]["text"]
    assert "Жалоба" not in hook.posts[1]["json"]["text"]
    assert delivered == [("slack", 4), ("tg", 4)]
