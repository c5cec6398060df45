"""The alert stage: each rule's report of newly matched stories, sent once per channel.

For every rule and channel: messages still open in the outbox are retried first, then
the stories not yet delivered nor claimed become a new report, written to the outbox with
its rendered parts before anything is sent, and marked delivered only once the channel
accepted every part. docs/ALERTS.md explains why this sends each story exactly once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from crawlers.faults import crash_point
from flows.alerts import outbox
from flows.alerts.changes import new_change_message, stream
from flows.alerts.channels import Channel, ChannelError, RenderedReport, build_channel
from flows.alerts.channels.secrets import Secrets
from flows.alerts.outbox import OutboxRow
from flows.alerts.report import (
    Report,
    build_report,
    report_paths,
    story_from_row,
    topic_order,
)
from flows.settings import AlertChannel, AlertRule, Settings
from warehouse.sql import records, statement

log = logging.getLogger("steppewatch.alerts")


@dataclass(frozen=True)
class Delivery:
    """What one message did in this run."""
    channel: str
    delivery_key: str
    run_id: str
    stories: int
    status: str  # sent, pending (retried next run), unconfirmed (needs `alerts --resend`)
    error: str | None = None


@dataclass(frozen=True)
class AlertResult:
    rule: str
    stories: int
    markdown: Path
    html: Path
    json: Path | None = None
    deliveries: list[Delivery] = field(default_factory=list)


FETCH_ROWS = 500



def _rule_scope(rule: AlertRule) -> dict[str, Any]:
    """The rule's topics, countries and languages, as the statements take them."""
    return {"topics": list(rule.topics), "countries": list(rule.countries),
            "languages": list(rule.languages)}


def _rule_params(rule: AlertRule) -> dict[str, Any]:
    return {**_rule_scope(rule), "min_score": rule.min_score}


def new_matches(con: duckdb.DuckDBPyConnection, rule: AlertRule,
                channel: str) -> Iterator[dict[str, Any]]:
    """The rule's new matches, each with its article's text. The texts are read FETCH_ROWS
    at a time, so thousands of matches never hold all their texts in memory at once."""
    rows = records(con.execute(statement("alerts/new_matches"),
                              {**_rule_params(rule), "rule": rule.name, "channel": channel}))
    for start in range(0, len(rows), FETCH_ROWS):
        batch = rows[start:start + FETCH_ROWS]
        ids = ",".join(row["article_id"] for row in batch)
        texts = dict(con.execute(statement("alerts/article_texts"),
                                 {"article_ids": ids}).fetchall())
        for row in batch:
            yield {**row, "text": texts.get(row["article_id"]) or ""}


def rule_report(con: duckdb.DuckDBPyConnection, rule: AlertRule, channel: str, run_id: str,
                now: datetime, base_url: str = "",
                topics: tuple[str, ...] = ()) -> RenderedReport:
    """The rule's report of the stories not yet delivered to (nor claimed for) the channel.
    `base_url` ([web] base_url): where the workspace's story and archive pages are;
    `topics`: the topic ids of topics.toml in order, which give the topics' colours."""
    stories = [story_from_row(row) for row in new_matches(con, rule, channel)]
    health = records(con.execute(statement("health/run_health"), {"run_id": run_id}))
    gaps = records(con.execute(statement("health/coverage_gap_counts"), {"run_id": run_id}))
    days = records(con.execute(statement("alerts/topic_days"),
                              {**_rule_params(rule), "end_day": now.date()}))
    to_check = dict(con.execute(statement("alerts/near_miss_counts"),
                                {**_rule_scope(rule), "run_id": run_id}).fetchall())
    report: Report = build_report(rule.name, list(rule.topics), run_id, stories, health, days,
                                  now, gaps, base_url, topics, to_check)
    return RenderedReport(report)


def deliver(con: duckdb.DuckDBPyConnection, channel: Channel, row: OutboxRow, secrets: Secrets,
            report_path: str | None = None, settles: str | None = None) -> Delivery:
    """Send the parts the channel has not accepted yet; mark delivered only when all are.
    A failure's error is redacted with `secrets` before it is stored, logged or returned."""
    outbox.begin_attempt(con, row.delivery_key)
    try:
        for index in range(row.parts_sent, row.parts_total):
            channel.send_part(row.parts[index], row.delivery_key, index, row.parts_total)
            outbox.part_accepted(con, row.delivery_key, index + 1)
    except ChannelError as error:
        return _failed(con, row, str(error), "unconfirmed" if error.in_doubt else "pending",
                       secrets)
    except Exception as error:  # a fault of ours mid-send: the channel may have it
        return _failed(con, row, f"{error.__class__.__name__} while sending", "unconfirmed",
                       secrets)
    note = f"sent again as {row.delivery_key}" if settles else None
    outbox.accepted(con, row, report_path, note=note, also_settle=settles)
    return Delivery(row.channel, row.delivery_key, row.run_id, len(row.article_ids), "sent")


def _failed(con: duckdb.DuckDBPyConnection, row: OutboxRow, error: str,
            status: str, secrets: Secrets) -> Delivery:
    error = outbox.attempt_failed(con, row.delivery_key, status, error, secrets)
    log.warning("alert %s → %s (%s): %s; %s", row.rule, row.channel, row.delivery_key, error,
                "retried next run" if status == "pending" else
                "not sent again by itself; check it and use `steppewatch alerts --resend`")
    return Delivery(row.channel, row.delivery_key, row.run_id, len(row.article_ids), status,
                    error)


def _retry_open(con: duckdb.DuckDBPyConnection, rule: AlertRule, channel: Channel,
                secrets: Secrets) -> list[Delivery]:
    deliveries = []
    for row in outbox.open_rows(con, rule.name, channel.name):
        if row.status == "pending":
            deliveries.append(deliver(con, channel, row, secrets))
        else:
            deliveries.append(Delivery(row.channel, row.delivery_key, row.run_id,
                                       len(row.article_ids), row.status, row.last_error))
    return deliveries


def _new_message(con: duckdb.DuckDBPyConnection, rule: AlertRule, channel: Channel,
                 rendered: RenderedReport, run_id: str) -> OutboxRow | None:
    ids = rendered.report.article_ids
    if not ids and not channel.send_empty:
        return None
    row = OutboxRow(outbox.delivery_key(rule.name, channel.name, run_id, ids), rule.name,
                    channel.name, channel.type, run_id, ids, channel.compose(rendered), "pending")
    outbox.insert(con, row)  # committed: the stories are claimed before anything is sent
    crash_point("alert")
    return row


def _channel_configs(settings: Settings, rule: AlertRule) -> list[AlertChannel]:
    configured = {c.name: c for c in settings.alerts.channels}
    names = sorted(rule.channels, key=lambda n: configured[n].type != "file")  # files first
    return [configured[n] for n in names]


def alert_rule(con: duckdb.DuckDBPyConnection, settings: Settings, rule: AlertRule,
               run_id: str, reports_dir: Path, now: datetime) -> AlertResult:
    deliveries: list[Delivery] = []
    paths = report_paths(reports_dir, run_id, rule.name)
    record: RenderedReport | None = None
    secrets = Secrets.of_channels(settings.alerts.channels)  # every error is cleared of all
    topics = topic_order(settings.topics_file)
    for config in _channel_configs(settings, rule):
        channel = build_channel(config, reports_dir)
        deliveries += _retry_open(con, rule, channel, secrets)
        if outbox.has_run(con, rule.name, channel.name, run_id):
            continue  # a resumed run: this run's message exists and was handled above
        rendered = rule_report(con, rule, channel.name, run_id, now, settings.web.base_url,
                               topics)
        record = record or rendered
        if config.type == "file":
            paths = report_paths(Path(getattr(channel, "folder", reports_dir)), run_id, rule.name)
        row = _new_message(con, rule, channel, rendered, run_id)
        if row:
            deliveries.append(deliver(con, channel, row, secrets, str(paths["html"])))
    if record and "file" not in {c.type for c in _channel_configs(settings, rule)}:
        _write_record(record, paths)
    stories = len(record.report.article_ids) if record else 0
    return AlertResult(rule.name, stories, paths["md"], paths["html"], paths["json"], deliveries)


def _write_record(rendered: RenderedReport, paths: dict[str, Path]) -> None:
    """A rule without a file channel still leaves its report in the reports folder."""
    paths["html"].parent.mkdir(parents=True, exist_ok=True)
    paths["html"].write_text(rendered.html, encoding="utf-8")
    paths["md"].write_text(rendered.markdown, encoding="utf-8")
    paths["json"].write_text(rendered.json, encoding="utf-8")


def run_alerts(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str,
               reports_dir: Path, only_rules: list[str] | None = None) -> list[AlertResult]:
    """Every rule's report of the stories it has not reported yet, sent to its channels."""
    for key, rule, channel, status in outbox.settle_interrupted(con):
        log.warning("alert %s → %s (%s) was cut off while sending; now %s", rule, channel, key,
                    status)
    now = datetime.now(UTC)
    rules = [rule for rule in settings.alerts.rules if not only_rules or rule.name in only_rules]
    results = [alert_rule(con, settings, rule, run_id, reports_dir, now) for rule in rules]
    for result, rule in zip(results, rules, strict=True):
        if rule.changes:
            result.deliveries.extend(alert_changes(con, settings, rule, run_id, reports_dir,
                                                   now))
    return results


def alert_changes(con: duckdb.DuckDBPyConnection, settings: Settings, rule: AlertRule,
                  run_id: str, reports_dir: Path, now: datetime) -> list[Delivery]:
    """The changes of the rule's stories, in messages of their own (flows/alerts/changes.py)
    under its change stream, retried and claimed as story messages are."""
    changes_rule = replace(rule, name=stream(rule))
    secrets = Secrets.of_channels(settings.alerts.channels)
    deliveries: list[Delivery] = []
    for config in _channel_configs(settings, rule):
        channel = build_channel(config, reports_dir)
        deliveries += _retry_open(con, changes_rule, channel, secrets)
        if not outbox.has_run(con, changes_rule.name, channel.name, run_id):
            row = new_change_message(con, rule, channel, run_id, now)
            if row:
                deliveries.append(deliver(con, channel, row, secrets))
    return deliveries


def resend(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str, reports_dir: Path,
           rules: list[str], channels: list[str]) -> list[Delivery]:
    """Send the messages of a past run again, on purpose, each under a new key.

    A message that was pending or unconfirmed counts as delivered once its resend is accepted,
    so it is not retried by itself afterwards.
    """
    configured = {c.name: c for c in settings.alerts.channels}
    secrets = Secrets.of_channels(settings.alerts.channels)
    deliveries = []
    streams = [*rules, *(f"{name}.changes" for name in rules)]  # a rule's change messages too
    for original in outbox.rows_of_run(con, run_id, streams, channels):
        if original.channel not in configured:
            deliveries.append(Delivery(original.channel, original.delivery_key, run_id, 0,
                                       "skipped", "channel no longer in settings.toml"))
            continue
        count = outbox.resend_count(con, original.delivery_key) + 1
        row = OutboxRow(f"{original.delivery_key[:24]}-r{count}", original.rule,
                        original.channel, original.channel_type, run_id, original.article_ids,
                        original.parts, "pending", resend_of=original.delivery_key)
        outbox.insert(con, row)
        channel = build_channel(configured[original.channel], reports_dir)
        settles = original.delivery_key if original.status != "sent" else None
        deliveries.append(deliver(con, channel, row, secrets, settles=settles))
    return deliveries
