"""What each alert rule would send now, without sending or marking anything."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from flows.alerts.delivery import rule_report
from flows.alerts.report import report_paths, topic_order
from flows.settings import Settings
from warehouse.sql import statement


@dataclass(frozen=True)
class Preview:
    rule: str
    stories_per_channel: dict[str, int]
    markdown: str
    html: Path  # the preview written to reports/preview/


def preview_alerts(con: duckdb.DuckDBPyConnection, settings: Settings,
                   rules: list[str] | None = None) -> list[Preview]:
    """Each rule's next report (of `rules`, default all) as it would be sent now, written to
    DATA/reports/preview/ (HTML, Markdown, JSON); nothing is sent and nothing is marked."""
    now = datetime.now(UTC)
    latest = con.execute(statement("alerts/latest_run")).fetchone()[0] or "preview"
    folder = settings.data_dir / "reports" / "preview"
    previews = []
    topics = topic_order(settings.topics_file)
    for rule in settings.alerts.rules:
        if rules and rule.name not in rules:
            continue
        counts = {}
        for channel in rule.channels:
            rendered = rule_report(con, rule, channel, latest, now, settings.web.base_url,
                                   topics)
            counts[channel] = rendered.report.story_count
        paths = report_paths(folder, "preview", rule.name)
        folder.mkdir(parents=True, exist_ok=True)
        paths["html"].write_text(rendered.html, encoding="utf-8")
        paths["md"].write_text(rendered.markdown, encoding="utf-8")
        paths["json"].write_text(rendered.json, encoding="utf-8")
        previews.append(Preview(rule.name, counts, rendered.markdown, paths["html"]))
    return previews
