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


def _preview(settings: Settings, rules: list[str]) -> None:
    from flows.alerts.preview import preview_alerts

    with _warehouse(settings.data_dir) as con:
        previews = preview_alerts(con, settings, rules)
    for preview in previews:
        out.print(preview.markdown)
        print_table(out, ["rule", "channel", "stories it would send"],
                    [[preview.rule, channel, n]
                     for channel, n in preview.stories_per_channel.items()],
                    title=f"dry run of {preview.rule}: nothing sent, nothing marked")
        out.print(f"preview: {preview.html}")


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
        _preview(settings, rule or [])
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
