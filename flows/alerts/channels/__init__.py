"""Delivery channels: each turns a rendered report into message parts and sends one part.

Parts are composed once and stored in the outbox, so a retry sends exactly what the first
attempt tried to send. Secrets are read from the environment only when a part is sent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from flows.alerts.channels.base import ChannelError, RenderedReport
from flows.settings import AlertChannel


class Channel(Protocol):
    name: str
    type: str
    send_empty: bool

    def compose(self, report: RenderedReport) -> list[dict[str, Any]]: ...

    def send_part(self, part: dict[str, Any], key: str, index: int, total: int) -> None: ...


def build_channel(config: AlertChannel, reports_dir: Path) -> Channel:
    from flows.alerts.channels.email import EmailChannel
    from flows.alerts.channels.file import FileChannel
    from flows.alerts.channels.telegram import TelegramChannel
    from flows.alerts.channels.webhook import WebhookChannel

    kinds = {"file": FileChannel, "email": EmailChannel, "webhook": WebhookChannel,
             "telegram": TelegramChannel}
    return kinds[config.type](config, reports_dir)


__all__ = ["Channel", "ChannelError", "RenderedReport", "build_channel"]
