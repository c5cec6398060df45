"""A Slack-compatible incoming webhook: {"text": ...} in Slack mrkdwn, URL from the environment."""

from __future__ import annotations

from typing import Any

from flows.alerts.channels.base import (
    ChannelBase,
    RenderedReport,
    clip,
    message_blocks,
    split_blocks,
)
from flows.alerts.channels.http import post_json
from flows.alerts.escaping import safe_href
from flows.alerts.report import Report, Story

LIMIT = 3900  # Slack shows a message's text in full up to about 4,000 characters


def slack_escape(text: str) -> str:
    """Slack mrkdwn's own escaping: &, < and > (a < would start a link or mention)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _link(url: str, label: str) -> str:
    href = safe_href(url).replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
    return f"<{href}|{slack_escape(clip(label, 250))}>"


def _story_block(story: Story) -> str:
    snippet = "".join(f"*{slack_escape(t)}*" if hit else slack_escape(t)
                      for t, hit in story.snippet)
    lines = [_link(story.url, story.title),
             slack_escape(f"{story.outlet} · {story.day} · {story.language or '?'} · "
                          + ", ".join(story.topics)),
             f"> {clip(snippet, 700)}"]
    if story.also:
        lines.append("Also reported by: " + ", ".join(_link(o.url, o.outlet)
                                                      for o in story.also[:10]))
    return "\n".join(lines)


def slack_blocks(report: Report) -> list[str]:
    return message_blocks(report, slack_escape, lambda text: f"*{text}*", _story_block)


class WebhookChannel(ChannelBase):
    def compose(self, report: RenderedReport) -> list[dict[str, Any]]:
        return [{"text": text, "unfurl_links": False, "unfurl_media": False}
                for text in split_blocks(slack_blocks(report.report), LIMIT, separator="\n\n")]

    def send_part(self, part: dict[str, Any], key: str, index: int, total: int) -> None:
        post_json(str(self.secret("url")), part, {"Idempotency-Key": f"{key}-{index}"},
                  self.timeout, f"webhook {self.name!r}", self.secrets())
