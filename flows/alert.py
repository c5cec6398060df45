"""The alert stage: for each rule, a report of stories it has not yet reported."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from flows.report import render_report, story_from_row
from flows.settings import AlertRule, Settings
from warehouse.load import statement


@dataclass(frozen=True)
class AlertResult:
    rule: str
    stories: int
    markdown: Path
    html: Path


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def new_matches(con: duckdb.DuckDBPyConnection, rule: AlertRule, channel: str) -> list[dict]:
    return _dicts(con.execute(statement("new_matches"), {
        "topics": list(rule.topics), "countries": list(rule.countries),
        "languages": list(rule.languages), "min_score": rule.min_score,
        "rule": rule.name, "channel": channel,
    }))


def file_report(con: duckdb.DuckDBPyConnection, rule: AlertRule, run_id: str,
                reports_dir: Path) -> AlertResult:
    """Write the rule's report files, then mark its stories delivered to the file channel.

    The files of a run and rule have fixed names, so a crash between writing and
    marking only rewrites the same report on the next attempt.
    """
    rows = new_matches(con, rule, "file")
    stories = [story_from_row(row) for row in rows]
    health = _dicts(con.execute(statement("run_health"), {"run_id": run_id}))
    md_path, html_path = render_report(rule.name, run_id, stories, health, reports_dir)
    con.execute("BEGIN")
    for story in stories:
        con.execute(statement("mark_delivered"), {
            "rule": rule.name, "channel": "file", "article_id": story.article_id,
            "run_id": run_id, "report_path": str(html_path),
        })
    con.execute("COMMIT")
    return AlertResult(rule.name, len(stories), md_path, html_path)


def run_alerts(con: duckdb.DuckDBPyConnection, settings: Settings, run_id: str,
               reports_dir: Path) -> list[AlertResult]:
    """Every rule's report of the stories it has not reported yet."""
    return [file_report(con, rule, run_id, reports_dir)
            for rule in settings.alert_rules if "file" in rule.channels]
