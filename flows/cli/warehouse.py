"""Warehouse commands: read-only SQL, saved queries, search, reindex, export and the schema.

Each command opens the warehouse read-only and shut in (warehouse.connection): its SQL
reads no other file, writes none, loads no extension and changes no setting. The one file a
command may have DuckDB write is the staging file of its --output (export, sql --format
parquet). While the nightly load step holds the warehouse, the command waits and says so on
stderr.
"""

from __future__ import annotations

import contextlib
import json
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.text import Text

from flows.cli.app import Paths, app, data_dir, err, fail, out
from flows.cli.output import (
    FILE_ONLY_FORMATS,
    FORMATS,
    format_rows,
    one_line,
    plain_console,
    print_table,
)

if TYPE_CHECKING:
    import duckdb

    from warehouse.search import SearchHit

TABLE_FILE_WIDTH = 200  # a table written to a file is not folded to a terminal's width
NO_SHELL = ("give the SQL as an argument or on stdin, or --saved NAME; "
            "steppewatch never opens an interactive shell on the warehouse")
SHUT_IN = ("steppewatch sql reads the warehouse only: no other file, no ATTACH, INSTALL or "
           "LOAD; write results with --output FILE or `steppewatch export`")
LOCKED = "steppewatch sql cannot change DuckDB settings"


def _open(writable: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The warehouse, read-only and shut in, with leave to write `writable` only; waiting
    (and saying so) while the load step writes. Close it (`with`) before the command ends."""
    from warehouse.connection import (
        WarehouseBusy,
        WarehouseMissing,
        WarehouseUnreadable,
        open_readonly,
    )

    def waiting() -> None:
        err.print("waiting for the nightly load step to release the warehouse…", highlight=False)

    try:
        return open_readonly(data_dir(), on_wait=waiting, writable=writable)
    except (WarehouseMissing, WarehouseBusy, WarehouseUnreadable) as error:
        fail(str(error))
    raise AssertionError("unreachable")


def _db_error(error: duckdb.Error) -> str:
    """A DuckDB error as one line; a refusal of the shut-in reader says why."""
    import duckdb

    line = one_line(error)
    if isinstance(error, duckdb.PermissionException):
        return f"{line} ({SHUT_IN})"
    if "configuration has been locked" in line:
        return f"{line} ({LOCKED})"
    if "Corrupt database file" in line:
        return (f"{line}: the warehouse in {data_dir()} is damaged; restore it from a backup, "
                "or move it away and run `steppewatch nightly` or `steppewatch demo`")
    return line


def _sql_text(query: str | None, saved: str | None, params: list[str]
              ) -> tuple[str, dict[str, str] | None]:
    """The SQL to run and its parameters: a saved query, the argument, or stdin."""
    from warehouse.saved_queries import SavedQueryError, parse_params, saved_query

    if saved:
        if query:
            fail("give either SQL or --saved NAME, not both")
        try:
            chosen = saved_query(saved)
            return chosen.sql, chosen.bind(parse_params(params))
        except SavedQueryError as error:
            fail(str(error))
    if params:
        fail("--param goes with --saved NAME")
    if query is None and not sys.stdin.isatty():
        query = sys.stdin.read()
    if not query or not query.strip():
        fail(NO_SHELL)
    return query, None


@app.command()
def sql(
    query: Annotated[str | None, typer.Argument(help="SQL to run (read-only); default: "
                                                     "read from stdin.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, json or parquet.")] = "table",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to this file "
                                                "(needed for parquet).")] = None,
    saved: Annotated[str | None, typer.Option("--saved", help="Run warehouse/queries/NAME.sql "
                                              "(see `steppewatch schema`).")] = None,
    params: Annotated[list[str] | None, typer.Option("--param", help="key=value for a saved "
                                                     "query's $key (repeatable).")] = None,
) -> None:
    """Run read-only SQL (or a saved query) on the warehouse."""
    import duckdb

    from warehouse.export import staging_file

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if fmt in FILE_ONLY_FORMATS and output is None:
        fail(f"--format {fmt} writes a file: add --output FILE.{fmt}")
    text, values = _sql_text(query, saved, params or [])
    # Only DuckDB's own writer (parquet) needs leave to write; csv, json and table output
    # is written by Python from the fetched rows.
    writable = staging_file(output) if output is not None and fmt in FILE_ONLY_FORMATS else None
    with _open(writable) as con:
        try:
            if fmt in FILE_ONLY_FORMATS:
                _write_file(con, text, values, fmt, output)
                return
            cursor = con.execute(text, values) if values is not None else con.execute(text)
            columns = [d[0] for d in cursor.description] if cursor.description else []
            rows = cursor.fetchall() if columns else []
        except duckdb.Error as error:
            fail(_db_error(error))
    _emit(columns, rows, fmt, output)


def _write_file(con: duckdb.DuckDBPyConnection, text: str, values: dict[str, str] | None,
                fmt: str, output: Path | None) -> None:
    from warehouse.export import write_relation

    assert output is not None
    relation = con.sql(text, params=values)
    if relation is None:
        fail("the SQL returns no rows to write (is it a query?)")
    write_relation(relation, fmt, output)
    err.print(f"wrote {relation.aggregate('count(*)').fetchone()[0]} rows to {output}",
              highlight=False)


def _emit(columns: list[str], rows: list[tuple], fmt: str, output: Path | None) -> None:
    if fmt == "table" and output is None:
        print_table(out, columns, rows)
        return
    if output is None:
        sys.stdout.write(format_rows(columns, rows, fmt) + "\n")
        return
    with output.open("w", encoding="utf-8") as handle:
        if fmt == "table":
            print_table(plain_console(file=handle, width=TABLE_FILE_WIDTH), columns, rows)
        else:
            handle.write(format_rows(columns, rows, fmt) + "\n")
    err.print(f"wrote {len(rows)} rows to {output}", highlight=False)


@app.command()
def schema(
    tables: Annotated[bool, typer.Option("--tables", help="Also list the tables behind the "
                                         "views.")] = False,
) -> None:
    """Describe the views (and tables) analysts query, and the saved queries."""
    import duckdb

    from warehouse.saved_queries import saved_queries
    from warehouse.schema import describe

    with _open() as con:
        try:
            relations = describe(con, include_tables=tables)
        except duckdb.Error as error:
            fail(_db_error(error))
    for relation in relations:
        out.print(Text.assemble("\n", (relation.name, "bold"), f" ({relation.kind})"))
        if relation.comment:
            out.print(f"  {relation.comment}")
        name_width = max(len(c.name) for c in relation.columns)
        type_width = max(len(c.type) for c in relation.columns)
        for column in relation.columns:
            out.print(f"    {column.name:<{name_width}}  {column.type:<{type_width}}  "
                      f"{column.comment or ''}")
    out.print(Text.assemble("\n", ("saved queries", "bold"),
                            " (steppewatch sql --saved NAME --param key=value)"))
    for query in saved_queries():
        params = ", ".join(f"{p.name}" + (f"={p.default}" if p.default else "")
                           for p in query.params)
        out.print(f"  {query.name}({params}): {query.summary}")


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        fail(f"{option} {value!r} is not a day; write it as YYYY-MM-DD")
    raise AssertionError("unreachable")


def _country(value: str | None) -> str | None:
    """--country as a code: KZ KG TJ UZ TM or a country's name, in any case."""
    from flows.tagging.places import COUNTRIES, country_code

    if value is None:
        return None
    code = country_code(value)
    if code is None:
        fail(f"unknown --country {value!r}; use one of {' '.join(COUNTRIES)}, or a name such "
             "as Kyrgyzstan or Кыргызстан")
    return code


def _topic(con: duckdb.DuckDBPyConnection, value: str | None) -> str | None:
    """--topic as a topic id of topics.toml or of the stored tags, in any case."""
    from crawlers.tomlconfig import ConfigError
    from flows.tagging.topics import load_topics
    from warehouse.search import stored_topics

    if value is None:
        return None
    known = set(stored_topics(con))
    # A broken topics.toml: the stored topics still answer (`tag`, `nightly` name the mistake).
    with contextlib.suppress(ConfigError):
        known |= {t.id for t in load_topics(Paths.config / "topics.toml").topics}
    by_case = {t.casefold(): t for t in known}
    if value.strip().casefold() not in by_case:
        fail(f"unknown --topic {value!r}; use one of {' '.join(sorted(known)) or '(none yet)'}")
    return by_case[value.strip().casefold()]


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Lucene syntax, as topic queries: words (their "
                                              "inflected forms match), \"phrases\", prefix*, "
                                              "AND OR NOT, \"a b\"~N or a NEAR/N b, title: "
                                              "text: outlet: lang: (docs/QUERIES.md).")],
    topic: Annotated[str | None, typer.Option(help="Only stories of this topic.")] = None,
    country: Annotated[str | None, typer.Option(help="Only stories about this country: KZ, "
                                                     "KG, TJ, UZ, TM or its name.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Only stories of this outlet (source "
                                                    "id or name).")] = None,
    language: Annotated[str | None, typer.Option(help="Only stories in this language: ru en "
                                                      "kk ky uz tg tk.")] = None,
    since: Annotated[str | None, typer.Option(help="Only stories of this day or later "
                                                   "(YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Only stories of this day or earlier "
                                                   "(YYYY-MM-DD).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many stories.")] = 20,
    any_term: Annotated[bool, typer.Option("--any", help="Stories with any of the words, not "
                                           "only those with all.")] = False,
    fmt: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Full-text search: stories ranked by BM25 over title and text, with a snippet."""
    import duckdb

    from warehouse.search import QueryError, SearchIndexMissing, search_stories

    if fmt not in ("text", "json"):
        fail(f"unknown format {fmt!r}; use text or json")
    if not query.strip():
        fail('give the words to search for, e.g. steppewatch search "пытки"')
    day, last, country = _day(since, "--since"), _day(until, "--until"), _country(country)
    with _open() as con:
        topic = _topic(con, topic)
        try:
            hits = search_stories(con, query, topic=topic, country=country, outlet=outlet,
                                  language=language, since=day, until=last, limit=limit,
                                  all_terms=not any_term)
        except (SearchIndexMissing, QueryError) as problem:
            fail(str(problem))
        except duckdb.Error as error:
            fail(_db_error(error))
    if fmt == "json":
        sys.stdout.write(json.dumps([_hit_json(h) for h in hits], ensure_ascii=False,
                                    indent=1) + "\n")
    else:
        _print_hits(hits, query)


@app.command()
def reindex() -> None:
    """Rebuild the search index from the warehouse (DATA/search/), beside the one in use,
    and swap it in when complete."""
    from warehouse.connection import WarehouseMissing, open_warehouse
    from warehouse.search import reindex as rebuild

    try:
        con = open_warehouse(data_dir(), create=False)
    except WarehouseMissing as missing:
        fail(str(missing))
    with con:
        done = rebuild(con)
    out.print(f"search index rebuilt: {done.documents} stories in {done.seconds:.1f} s")


def _hit_json(hit: SearchHit) -> dict:
    record = dict(hit.__dict__)
    record["day"] = hit.day.isoformat() if hit.day else None
    return record


def _print_hits(hits: list[SearchHit], query: str) -> None:
    if not hits:
        out.print(f"no story matches {query!r}")
        return
    for rank, hit in enumerate(hits, 1):
        topics = f" [{', '.join(hit.topics)}]" if hit.topics else ""
        out.print(Text.assemble("\n", (f"{rank}. {hit.title or '(no title)'}", "bold")))
        out.print(f"   {hit.day or '?'} · {hit.outlet} · {','.join(hit.countries)} · "
                  f"{hit.language or '?'}{topics} · score {hit.score:.2f}")
        out.print(f"   {hit.url}")
        out.print(Text.assemble("   ", _bold_marked(hit.snippet)))


def _bold_marked(snippet: str) -> Text:
    """A snippet as Text: the **marked** words bold, everything else as it is."""
    parts = snippet.split("**")
    if len(parts) % 2 == 0:  # an unpaired marker: show the snippet as it is
        return Text(snippet)
    return Text.assemble(*((p, "bold yellow") if i % 2 else p for i, p in enumerate(parts)))


@app.command()
def export(
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    fmt: Annotated[str, typer.Option("--format", help="parquet or csv.")] = "parquet",
    topic: Annotated[str | None, typer.Option(help="Only stories of this topic.")] = None,
    country: Annotated[str | None, typer.Option(help="Only stories about this country: KZ, "
                                                     "KG, TJ, UZ, TM or its name.")] = None,
    since: Annotated[str | None, typer.Option(help="Only stories of this day or later "
                                                   "(YYYY-MM-DD).")] = None,
) -> None:
    """Export a slice of the stories (with text and WARC references) to share."""
    import duckdb

    from warehouse.export import EXPORT_FORMATS, export_stories, staging_file

    if fmt not in EXPORT_FORMATS:
        fail(f"unknown format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    day, country = _day(since, "--since"), _country(country)
    with _open(writable=staging_file(output)) as con:
        topic = _topic(con, topic)
        try:
            written = export_stories(con, fmt, output, topic=topic, country=country, since=day)
        except duckdb.Error as error:
            fail(_db_error(error))
    out.print(f"wrote {written} stories to {output}", highlight=False)


@app.command()
def verify(
    run: Annotated[str | None, typer.Option("--run", help="Read back only this run's "
                                            "article records (default: all).")] = None,
) -> None:
    """Check the evidence chain: every archived article page has an article or an error, and
    every article's WARC record reads back with the digest recorded when it was fetched.
    Exit 1 when anything is wrong, with one line per problem.

    Example: steppewatch --data data/demo verify"""
    from flows.verify import verify_archive

    with _open() as con:
        report = verify_archive(con, data_dir(), run)
    for problem in report.problems:
        err.print(problem.line())
    out.print(report.summary())
    if not report.ok:
        raise typer.Exit(1)
