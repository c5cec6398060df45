"""Alert commands: deliver now, preview a rule's next report, send a past report again."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli.app import Paths, app, data_dir, fail, out
from flows.cli.output import print_table

if TYPE_CHECKING:
    import duckdb

    from flows.settings import Settings


def _settings() -> Settings:
    from flows.settings import SettingsError, load_settings

    try:
        return load_settings(Paths.config, data_dir())
    except SettingsError as error:
        fail(str(error))
    raise AssertionError("unreachable")


def _warehouse(data: Path) -> duckdb.DuckDBPyConnection:
    """The existing warehouse for writing; a missing, locked or unreadable one is one line,
    and nothing is created."""
    from warehouse.connection import (
        WarehouseBusy,
        WarehouseMissing,
        WarehouseUnreadable,
        open_warehouse,
    )

    try:
        return open_warehouse(data, create=False)
    except (WarehouseMissing, WarehouseBusy, WarehouseUnreadable) as error:
        fail(str(error))
    raise AssertionError("unreachable")


def _print_deliveries(rows: list[tuple], title: str) -> None:
    """One line per message: long keys and errors stay whole on a narrow terminal."""
    out.print(title, highlight=False)
    for rule, channel, run_id, stories, status, key, error in rows:
        out.print(f"  {rule} → {channel}: {status} (run {run_id}, {stories} stories, "
                  f"message {key}){': ' + error if error else ''}", highlight=False,
                  markup=False)
    if not rows:
        out.print("  nothing to send", highlight=False)


def _preview(settings: Settings, rules: list[str], reports_dir: Path) -> None:
    from flows.alerts.channels.file import report_paths
    from flows.alerts.delivery import rule_report

    now = datetime.now(UTC)
    with _warehouse(settings.data_dir) as con:
        last = con.execute("SELECT max(run_id) FROM crawl_runs").fetchone()[0] or "preview"
        for rule in settings.alerts.rules:
            if rules and rule.name not in rules:
                continue
            counts = []
            for channel in rule.channels:
                rendered = rule_report(con, rule, channel, last, now)
                counts.append([rule.name, channel, rendered.report.story_count])
            paths = report_paths(reports_dir / "preview", "preview", rule.name)
            paths["html"].parent.mkdir(parents=True, exist_ok=True)
            for ext, path in paths.items():
                path.write_text(getattr(rendered, "markdown" if ext == "md" else ext),
                                encoding="utf-8")
            out.print(rendered.markdown, markup=False, highlight=False)
            print_table(out, ["rule", "channel", "stories it would send"], counts,
                        title=f"dry run of {rule.name}: nothing sent, nothing marked")
            out.print(f"preview: {paths['html']}", highlight=False)


@app.command()
def alerts(
    rule: Annotated[list[str] | None, typer.Option("--rule", help="Only this rule "
                                                   "(repeatable).")] = None,
    channel: Annotated[list[str] | None, typer.Option("--channel", help="With --resend: only "
                                                      "this channel (repeatable).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show the report each rule would "
                                          "send now; send and mark nothing.")] = False,
    resend: Annotated[str | None, typer.Option("--resend", metavar="RUN",
                                               help="Send the reports of a past run again, on "
                                                    "purpose.")] = None,
) -> None:
    """Send alert reports now (retrying failed ones), preview them, or send a past one again."""
    from flows.alerts.delivery import resend as resend_run
    from flows.alerts.delivery import run_alerts

    settings = _settings()
    known = {r.name for r in settings.alerts.rules}
    for name in rule or []:
        if name not in known:
            fail(f"no alert rule {name!r} in {Paths.config / 'settings.toml'}; "
                 f"rules: {', '.join(sorted(known)) or 'none'}")
    reports_dir = settings.data_dir / "reports"
    if dry_run:
        _preview(settings, rule or [], reports_dir)
        return
    with _warehouse(settings.data_dir) as con:
        if resend:
            done = resend_run(con, settings, resend, reports_dir, rule or [], channel or [])
            if not done:
                fail(f"run {resend!r} sent no report{' for that rule' if rule else ''}; "
                     f"list runs with: steppewatch sql \"select distinct run_id, rule, channel, "
                     f"status from alert_outbox\"")
            rows = [[resend, d.channel, d.run_id, d.stories, d.status, d.delivery_key,
                     d.error or ""] for d in done]
            _print_deliveries(rows, f"sent again: reports of run {resend}")
            failed = any(d.status != "sent" for d in done)
        else:
            run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-alerts"
            results = run_alerts(con, settings, run_id, reports_dir, rule or None)
            rows = [[r.rule, d.channel, d.run_id, d.stories, d.status, d.delivery_key,
                     d.error or ""] for r in results for d in r.deliveries]
            _print_deliveries(rows, f"alerts {run_id}")
            failed = any(d.status != "sent" for r in results for d in r.deliveries)
    if failed:
        raise typer.Exit(2)
