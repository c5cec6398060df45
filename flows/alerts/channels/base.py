"""What every channel shares: the rendered report, errors, secrets, splitting."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flows.alerts.channels.secrets import Secrets
from flows.alerts.report import Report, Story, render_html, render_json, render_markdown
from flows.settings import AlertChannel


class ChannelError(Exception):
    """A failed send. in_doubt: the channel may have taken the message (never resent alone)."""

    def __init__(self, message: str, in_doubt: bool = False) -> None:
        super().__init__(message)
        self.in_doubt = in_doubt


@dataclass(frozen=True)
class RenderedReport:
    """A report and its renderings, each made when asked for and not kept: a first report
    over a large backfill lists thousands of stories, tens of MB in each format."""

    report: Report

    @property
    def html(self) -> str:
        return render_html(self.report)

    @property
    def markdown(self) -> str:
        return render_markdown(self.report)

    @property
    def json(self) -> str:
        return render_json(self.report)


class ChannelBase:
    """Options from [alerts.channels.NAME]; a key ending in `_env` names an environment variable."""

    def __init__(self, config: AlertChannel, reports_dir: Any = None) -> None:
        self.config = config
        self.name, self.type, self.options = config.name, config.type, config.options
        self.send_empty = bool(self.options.get("send_empty", False))
        self.timeout = float(self.options.get("timeout_seconds", 30))

    def option(self, key: str, default: Any = None) -> Any:
        value = self.options.get(key, default)
        if value is None:
            raise ChannelError(f"channel {self.name!r}: set {key} in [alerts.channels.{self.name}]")
        return value

    def secret(self, key: str, required: bool = True) -> str | None:
        """The value of the environment variable that option `<key>_env` names."""
        var = self.options.get(f"{key}_env")
        if not var:
            if required:
                raise ChannelError(f"channel {self.name!r}: set {key}_env in "
                                   f"[alerts.channels.{self.name}] to the environment variable "
                                   f"holding the {key}")
            return None
        value = os.environ.get(var)
        if not value and required:
            raise ChannelError(f"channel {self.name!r}: environment variable {var} is not set")
        return value or None

    def secrets(self) -> Secrets:
        """This channel's secrets as the environment holds them now, to redact errors."""
        return Secrets.of_channels([self.config])

    def redact(self, message: str) -> str:
        return self.secrets().redact(message)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_blocks(blocks: list[str], limit: int, measure: Callable[[str], int] = len,
                 separator: str = "\n\n") -> list[str]:
    """Blocks joined into messages each at most `limit` long; a block is never cut."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        if measure(block) > limit:
            raise ValueError(f"a message block is {measure(block)} long, over {limit}")
        joined = f"{current}{separator}{block}" if current else block
        if measure(joined) <= limit:
            current = joined
        else:
            messages.append(current)
            current = block
    if current:
        messages.append(current)
    return messages


def clip(text: str, limit: int) -> str:
    """Scraped text cut to a bounded length, so one field cannot outgrow a chat message."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def message_blocks(report: Report, escape: Callable[[str], str], bold: Callable[[str], str],
                   story_block: Callable[[Story], str]) -> list[str]:
    """A chat message's blocks: a heading with the counts, then per country a bold line and
    each of its stories, once. `escape` makes text safe in the channel's markup, `bold` wraps
    escaped text, `story_block` renders one story."""
    counts = ", ".join(f"{t} {n}" for t, n in report.summary["topics"].items())
    blocks = [f"{bold(escape(f'steppewatch — {report.rule}'))}\n"
              f"Run {escape(report.run_id)} · {report.summary['stories']} new stories "
              f"({escape(counts)})"]
    for group in report.groups:
        blocks.append(bold(escape(group.country)))
        blocks += [story_block(s) for s in group.stories]
    return blocks
