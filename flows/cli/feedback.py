"""Feedback commands: monitors' corrections of topic tags, listed or exported as labelled
JSON lines for `steppewatch tag --eval`. Both only read the warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli.app import app, data_dir, err, fail, out
from flows.cli.output import one_line, print_table

if TYPE_CHECKING:
    import duckdb

feedback_app = typer.Typer(no_args_is_help=True,
                           help="Corrections of topic tags made by monitors: list them, or "
                                "export them as labelled examples for `tag --eval`.")
app.add_typer(feedback_app, name="feedback")
NO_TABLE = ("this warehouse has no corrections table yet; it is added the next time the "
            "warehouse is written (a nightly run, `steppewatch web`)")


def _reader() -> duckdb.DuckDBPyConnection:
    """The warehouse, read-only and shut in; waiting while the load step writes."""
    from warehouse.connection import (
        WarehouseBusy,
        WarehouseMissing,
        WarehouseUnreadable,
        open_readonly,
    )

    def waiting() -> None:
        err.print("waiting for the nightly load step to release the warehouse…")

    try:
        return open_readonly(data_dir(), on_wait=waiting, fts=False)
    except (WarehouseMissing, WarehouseBusy, WarehouseUnreadable) as error:
        fail(str(error))
    raise AssertionError("unreachable")


def _query_failed(error: duckdb.Error) -> None:
    import duckdb

    fail(NO_TABLE if isinstance(error, duckdb.CatalogException) and "tag_feedback" in str(error)
         else one_line(error))


@feedback_app.command("list")
def list_corrections(
    limit: Annotated[int, typer.Option(min=1, help="Show at most this many, latest "
                                       "first.")] = 50,
    article: Annotated[str | None, typer.Option(help="Only the corrections of this "
                                                "article id.")] = None,
) -> None:
    """List the latest corrections with their stories."""
    import duckdb

    from warehouse.feedback import list_feedback

    with _reader() as con:
        try:
            rows = list_feedback(con, limit, article)
        except duckdb.Error as error:
            _query_failed(error)
    print_table(out, ["when (UTC)", "article", "outlet", "title", "topic", "verdict", "note"],
                [[f"{r.created_at:%Y-%m-%d %H:%M}", r.article_id, r.outlet, r.title, r.topic,
                  r.verdict, r.note] for r in rows],
                title=f"{len(rows)} corrections, latest first")


@feedback_app.command()
def export(
    file: Annotated[Path, typer.Argument(help="JSON-lines file to write (replaced whole).")],
) -> None:
    """Write one labelled example per corrected story (stored tags with the corrections
    applied), the format `steppewatch tag --eval FILE` reads."""
    import duckdb

    from crawlers.staging import write_jsonl
    from warehouse.feedback import feedback_examples

    if file.is_dir():
        fail(f"{file} is a folder; give a file name such as corrections.jsonl")
    with _reader() as con:
        try:
            examples = feedback_examples(con)
        except duckdb.Error as error:
            _query_failed(error)
    try:
        count = write_jsonl(file, examples)
    except OSError as error:
        fail(f"cannot write {file}: {error.strerror or error}")
    err.print(f"wrote {count} labelled stories to {file}; measure the topic queries on them "
              f"with `steppewatch tag --eval {file}`")
