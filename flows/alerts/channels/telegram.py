"""Telegram: Bot API sendMessage in HTML parse mode, split under 4,096 characters.

The bot token comes from the environment; the API base URL is a setting so the tests
can point it to loopback.
"""

from __future__ import annotations

import html
import json
from typing import Any

from flows.alerts.channels.base import (
    ChannelBase,
    ChannelError,
    RenderedReport,
    clip,
    message_blocks,
    split_blocks,
    utf16_len,
)
from flows.alerts.channels.http import post_json
from flows.alerts.escaping import safe_href
from flows.alerts.report import Report, Story

LIMIT = 4000  # Telegram's limit is 4,096 characters of the parsed text; raw HTML is longer
API_BASE = "https://api.telegram.org"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def _link(url: str, label: str) -> str:
    return f'<a href="{esc(safe_href(url))}">{esc(clip(label, 300))}</a>'


def _story_block(story: Story) -> str:
    snippet = "".join(f"<b>{esc(t)}</b>" if hit else esc(t) for t, hit in story.snippet)
    meta = f"{story.outlet} · {story.day} · {story.language or '?'} · {', '.join(story.topics)}"
    lines = [_link(story.url, story.title), f"<i>{esc(clip(meta, 300))}</i>", snippet]
    if story.also:
        more = f" and {len(story.also) - 10} more" if len(story.also) > 10 else ""
        lines.append("Also reported by: "
                     + ", ".join(_link(o.url, o.outlet) for o in story.also[:10]) + more)
    return "\n".join(lines)


def telegram_blocks(report: Report) -> list[str]:
    return message_blocks(report, esc, lambda text: f"<b>{text}</b>", _story_block)


class TelegramChannel(ChannelBase):
    def compose(self, report: RenderedReport) -> list[dict[str, Any]]:
        return [{"text": text}
                for text in split_blocks(telegram_blocks(report.report), LIMIT, utf16_len)]

    def send_part(self, part: dict[str, Any], key: str, index: int, total: int) -> None:
        token = self.secret("token")
        chat_id = self.secret("chat_id", required=False) or self.option("chat_id")
        base = str(self.options.get("api_base", API_BASE)).rstrip("/")
        body = {"chat_id": chat_id, "text": part["text"], "parse_mode": "HTML",
                "link_preview_options": {"is_disabled": True}}
        answer = post_json(f"{base}/bot{token}/sendMessage", body, {}, self.timeout,
                           f"telegram {self.name!r}", self.secrets())
        if not _accepted(answer):  # a 2xx that is not Bot API's {"ok": true}: may have arrived
            text = self.redact(answer[:65536].decode("utf-8", "replace"))
            raise ChannelError(f"telegram {self.name!r}: unexpected answer {clip(text, 300)}",
                               in_doubt=True)


def _accepted(answer: bytes) -> bool:
    try:
        return json.loads(answer).get("ok") is True
    except (ValueError, AttributeError):
        return False
