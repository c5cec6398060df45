"""The alert outbox in the warehouse: messages claimed, attempted, accepted (docs/ALERTS.md)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

import duckdb

from flows.alerts.channels.secrets import Secrets
from warehouse.connection import transaction
from warehouse.sql import statement


@dataclass
class OutboxRow:
    delivery_key: str
    rule: str
    channel: str
    channel_type: str
    run_id: str
    article_ids: list[str]
    parts: list[dict[str, Any]]
    status: str
    parts_sent: int = 0
    attempts: int = 0
    last_error: str | None = None
    resend_of: str | None = None

    @property
    def parts_total(self) -> int:
        return len(self.parts)


def delivery_key(rule: str, channel: str, run_id: str, article_ids: list[str]) -> str:
    """Deterministic: the same rule, channel, run and stories always give the same key."""
    material = "\0".join([rule, channel, run_id, *sorted(article_ids)])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def _rows(cursor: duckdb.DuckDBPyConnection) -> list[OutboxRow]:
    names = [d[0] for d in cursor.description]
    rows = []
    for values in cursor.fetchall():
        row = dict(zip(names, values, strict=True))
        payload = json.loads(row.pop("payload"))
        row.pop("parts_total")
        rows.append(OutboxRow(**row, parts=payload["parts"]))
    return rows


def insert(con: duckdb.DuckDBPyConnection, row: OutboxRow) -> None:
    con.execute(statement("alerts/outbox_insert"), {
        "delivery_key": row.delivery_key, "rule": row.rule, "channel": row.channel,
        "channel_type": row.channel_type, "run_id": row.run_id,
        "article_ids": ",".join(row.article_ids),
        "payload": json.dumps({"parts": row.parts}, ensure_ascii=False),
        "parts_total": row.parts_total, "resend_of": row.resend_of,
    })


def open_rows(con: duckdb.DuckDBPyConnection, rule: str, channel: str) -> list[OutboxRow]:
    return _rows(con.execute(statement("alerts/outbox_open"), {"rule": rule, "channel": channel}))


def rows_of_run(con: duckdb.DuckDBPyConnection, run_id: str, rules: list[str],
                channels: list[str]) -> list[OutboxRow]:
    return _rows(con.execute(statement("alerts/outbox_of_run"),
                             {"run_id": run_id, "rules": rules, "channels": channels}))


def has_run(con: duckdb.DuckDBPyConnection, rule: str, channel: str, run_id: str) -> bool:
    return bool(con.execute(statement("alerts/outbox_has_run"),
                            {"rule": rule, "channel": channel, "run_id": run_id}).fetchone()[0])


def resend_count(con: duckdb.DuckDBPyConnection, key: str) -> int:
    return con.execute(statement("alerts/outbox_resend_count"), {"delivery_key": key}).fetchone()[0]


def settle_interrupted(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str]]:
    """Rows a crash left 'sending': (key, rule, channel, new status)."""
    return con.execute(statement("alerts/outbox_interrupted")).fetchall()


def begin_attempt(con: duckdb.DuckDBPyConnection, key: str) -> None:
    con.execute(statement("alerts/outbox_sending"), {"delivery_key": key})


def part_accepted(con: duckdb.DuckDBPyConnection, key: str, parts_sent: int) -> None:
    con.execute(statement("alerts/outbox_part_sent"),
                {"delivery_key": key, "parts_sent": parts_sent})


def attempt_failed(con: duckdb.DuckDBPyConnection, key: str, status: str, error: str,
                   secrets: Secrets) -> str:
    """Record a failed attempt; the error is stored redacted (then cut short, so no secret is
    cut in two), and returned as stored, for the log and the command's output."""
    error = secrets.redact(error)[:1000]
    con.execute(statement("alerts/outbox_failed"),
                {"delivery_key": key, "status": status, "error": error})
    return error


def accepted(con: duckdb.DuckDBPyConnection, row: OutboxRow, report_path: str | None,
             note: str | None = None, also_settle: str | None = None) -> None:
    """One transaction: the message is sent and its stories are delivered for rule+channel."""
    with transaction(con):
        sent = statement("alerts/outbox_sent")
        con.execute(sent, {"delivery_key": row.delivery_key, "note": None})
        if also_settle:
            con.execute(sent, {"delivery_key": also_settle, "note": note})
        con.execute(statement("alerts/mark_delivered"), {
            "rule": row.rule, "channel": row.channel, "article_ids": ",".join(row.article_ids),
            "run_id": row.run_id, "report_path": report_path})
