"""Alerts on changes of matched stories: a rule with `changes = ["edited", "removed"]`
reports each change its stories went through (story_changes, flows/changes.py) once per
channel, through the same outbox as its stories (docs/ALERTS.md).

The change messages of a rule go to the outbox under the rule's change stream, `RULE.changes`
(a rule name never holds a dot), with the change ids where a story report has article ids:
claiming, retries, `unconfirmed` and `--resend` work as for stories, and a change is
delivered once for the stream and channel. "edited" covers text edits and new headlines;
"removed" covers removals and restorations. Files: reports/RUN-RULE-changes.html, .md, .json.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
from jinja2 import Environment, PackageLoader

from flows.alerts import outbox
from flows.alerts.channels import Channel
from flows.alerts.channels.base import clip, split_blocks, utf16_len
from flows.alerts.channels.webhook import slack_escape
from flows.alerts.escaping import markdown_escape, markdown_link, safe_href
from flows.alerts.outbox import OutboxRow
from flows.settings import AlertRule
from flows.textdiff import Change as DiffPart
from flows.textdiff import condensed, word_diff
from warehouse.sql import statement

KINDS = {"edited": ("edited", "headline"), "removed": ("removed", "restored")}
REASONS = {"http_404": "the page answers 404 Not Found",
           "http_410": "the page answers 410 Gone",
           "redirected": "the page redirects to a page that is not the story (home or section)",
           "soft_404": "the page answers 200 with a page that says it was not found",
           "no_article": "the page answers 200 but holds no story text any more",
           "deleted": "the channel no longer shows the post"}
LABELS = {"edited": "Text edited", "headline": "Headline changed", "removed": "Removed",
          "restored": "Restored"}
CHAT_LIMIT = 3900


def stream(rule: AlertRule) -> str:
    """The outbox `rule` of a rule's change messages."""
    return f"{rule.name}.changes"


@dataclass(frozen=True)
class StoryChange:
    change_id: str
    kind: str
    title: str
    url: str
    outlet: str
    detected_at: datetime
    previous_title: str | None
    new_title: str | None
    reason: str | None
    evidence: list[dict[str, Any]]
    diff: list[DiffPart] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS.get(self.kind, self.kind)

    @property
    def why(self) -> str:
        return REASONS.get(self.reason or "", self.reason or "")

    @property
    def added(self) -> int:
        return sum(len(text.split()) for kind, text in self.diff if kind == "added")

    @property
    def removed(self) -> int:
        return sum(len(text.split()) for kind, text in self.diff if kind == "removed")


@dataclass(frozen=True)
class ChangeReport:
    rule: str  # names the files: RUN-RULE-changes.*
    run_id: str
    generated_at: datetime
    changes: list[StoryChange]

    @property
    def article_ids(self) -> list[str]:  # the outbox's ids: here, change ids
        return [c.change_id for c in self.changes]

    @property
    def counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for change in self.changes:
            counts[change.label] = counts.get(change.label, 0) + 1
        return counts


def markdown_diff(parts: list[DiffPart]) -> str:
    """A word diff on one Markdown line: removed words ~~struck~~, added words **bold**,
    paragraph breaks as ¶. Whitespace stays outside the marks (so they render), and parts
    meet at a space: the diff is by whole words, and a shortened run loses its edges."""
    out = ""
    for kind, text in parts:
        core = " ".join(text.replace("\n", " ¶ ").split())
        if not core:
            continue
        mark = {"removed": "~~", "added": "**"}.get(kind, "")
        out += (" " if out else "") + f"{mark}{markdown_escape(core)}{mark}"
    return out


def _env(autoescape: bool) -> Environment:
    env = Environment(loader=PackageLoader("flows.alerts", "templates"), trim_blocks=True,
                      lstrip_blocks=True, autoescape=autoescape)
    env.filters["md"] = markdown_escape
    env.filters["mdlink"] = markdown_link
    env.filters["href"] = safe_href
    env.filters["mddiff"] = markdown_diff
    return env


_HTML, _MD = _env(True), _env(False)


@dataclass(frozen=True)
class RenderedChanges:
    """The change report and its renderings (what channels compose from)."""
    report: ChangeReport

    @property
    def html(self) -> str:
        return _HTML.get_template("changes.html.j2").render(r=self.report)

    @property
    def markdown(self) -> str:
        return _MD.get_template("changes.md.j2").render(r=self.report)

    @property
    def json(self) -> str:
        return json.dumps({
            "rule": self.report.rule, "run_id": self.report.run_id,
            "generated_at": self.report.generated_at.isoformat(),
            "changes": [{"change_id": c.change_id, "kind": c.kind, "title": c.title,
                         "url": c.url, "outlet": c.outlet,
                         "detected_at": c.detected_at.isoformat(),
                         "previous_title": c.previous_title, "new_title": c.new_title,
                         "reason": c.reason, "evidence": c.evidence,
                         "diff": [{"kind": k, "text": t} for k, t in c.diff]}
                        for c in self.report.changes]}, ensure_ascii=False, default=str)


def new_changes(con: duckdb.DuckDBPyConnection, rule: AlertRule,
                channel: str) -> list[StoryChange]:
    """The changes of the rule's stories, of the kinds it asks for, not yet delivered to the
    channel nor claimed by an unsent message."""
    kinds = [kind for name in rule.changes for kind in KINDS[name]]
    cursor = con.execute(statement("alerts/new_changes"), {
        "kinds": kinds, "topics": list(rule.topics), "countries": list(rule.countries),
        "languages": list(rule.languages), "min_score": rule.min_score,
        "stream": stream(rule), "channel": channel})
    names = [d[0] for d in cursor.description]
    return [_change(dict(zip(names, row, strict=True))) for row in cursor.fetchall()]


def _change(row: dict[str, Any]) -> StoryChange:
    diff: list[DiffPart] = []
    if row["kind"] == "edited" and row["previous_text"] is not None:
        diff = condensed(word_diff(row["previous_text"], row["new_text"] or ""))
    return StoryChange(row["change_id"], row["kind"], row["title"] or row["url"], row["url"],
                       row["outlet"], row["detected_at"], row["previous_title"],
                       row["new_title"], row["reason"], json.loads(row["evidence"]), diff)


def _chat_block(change: StoryChange, escape: Callable[[str], str],
                link: Callable[[str, str], str]) -> str:
    lines = [f"{escape(change.label)}: {link(change.url, change.title)}",
             escape(f"{change.outlet} · {change.detected_at:%Y-%m-%d}")]
    if change.kind == "headline":
        lines.append(escape(clip(f"{change.previous_title} → {change.new_title}", 600)))
    elif change.kind == "edited":
        lines.append(escape(f"{change.removed} words removed, {change.added} added"))
    elif change.why:
        lines.append(escape(change.why))
    return "\n".join(lines)


def _telegram_link(url: str, label: str) -> str:
    return f'<a href="{html.escape(safe_href(url))}">{html.escape(clip(label, 300))}</a>'


def _slack_link(url: str, label: str) -> str:
    href = safe_href(url).replace("|", "%7C").replace(">", "%3E").replace("<", "%3C")
    return f"<{href}|{slack_escape(clip(label, 250))}>"


def compose(channel: Channel, rendered: RenderedChanges) -> list[dict[str, Any]]:
    """The message parts of a change report for a channel of any type."""
    report = rendered.report
    heading = (f"steppewatch — {report.rule}: {len(report.changes)} "
               f"{'change' if len(report.changes) == 1 else 'changes'} (run {report.run_id})")
    if channel.type == "file":
        return channel.compose(rendered)  # type: ignore[arg-type]  # reads html/markdown/json
    if channel.type == "email":
        return [{"subject": heading, "text": rendered.markdown, "html": rendered.html}]
    if channel.type == "telegram":
        blocks = [f"<b>{html.escape(heading)}</b>",
                  *(_chat_block(c, html.escape, _telegram_link) for c in report.changes)]
        return [{"text": text} for text in split_blocks(blocks, CHAT_LIMIT, utf16_len)]
    blocks = [f"*{slack_escape(heading)}*",
              *(_chat_block(c, slack_escape, _slack_link) for c in report.changes)]
    return [{"text": text, "unfurl_links": False, "unfurl_media": False}
            for text in split_blocks(blocks, CHAT_LIMIT)]


def new_change_message(con: duckdb.DuckDBPyConnection, rule: AlertRule, channel: Channel,
                       run_id: str, now: datetime) -> OutboxRow | None:
    """The rule's new changes for the channel as an outbox row, inserted (so claimed)
    before anything is sent; None when nothing changed (no empty change report is sent)."""
    report = ChangeReport(f"{rule.name}-changes", run_id, now,
                          new_changes(con, rule, channel.name))
    if not report.changes:
        return None
    row = OutboxRow(outbox.delivery_key(stream(rule), channel.name, run_id, report.article_ids),
                    stream(rule), channel.name, channel.type, run_id, report.article_ids,
                    compose(channel, RenderedChanges(report)), "pending")
    outbox.insert(con, row)
    return row
