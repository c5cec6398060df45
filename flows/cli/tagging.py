"""Tagging commands: try topic queries on texts, measure them, re-tag the stored corpus."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli.app import Paths, app, data_dir, err, fail, out
from flows.cli.output import print_table

if TYPE_CHECKING:
    from flows.tagging.tagger import Tagger


@app.command()
def tag(
    file: Annotated[Path | None, typer.Argument(help="JSON lines (id, text, title, lang); "
                                                "default stdin.")] = None,
    eval_files: Annotated[list[Path] | None, typer.Option(
        "--eval", help="Labelled JSON lines: print precision, recall, F1 per topic and "
        "language. Repeat it to score several files as one set (e.g. a held-out set and "
        "`feedback export` corrections).")] = None,
    markdown: Annotated[bool, typer.Option("--markdown", help="With --eval: Markdown "
                                           "tables, as in docs/TOPICS.md.")] = False,
) -> None:
    """Tag texts with topics; JSON lines in, JSON lines with topics and matches out.

    A line that is not a JSON object with a `text` string is named on stderr (FILE:LINE:
    problem) and left out; the good lines are still tagged and written, and the exit
    status is 1 when any line was bad."""
    from crawlers.tomlconfig import ConfigError
    from flows.tagging.tagger import Tagger

    for given in (file, *(eval_files or [])):
        if given is not None and (given.is_dir() or not given.exists()):  # a pipe is fine
            fail(f"{given}: {'is a folder' if given.is_dir() else 'no such file'}; give a "
                 "JSON-lines file (one object with a 'text' per line), or pipe the lines in")
    try:
        tagger = Tagger.from_file(Paths.config / "topics.toml")
    except ConfigError as error:
        fail(str(error))
    if eval_files:
        from flows.tagging.evaluate import evaluate, format_markdown, format_report

        report = evaluate(eval_files, tagger)
        print_report = format_markdown if markdown else format_report
        out.print(print_report(report), highlight=False, markup=False)
        return
    _tag_stream(file, tagger)


def _tag_stream(file: Path | None, tagger: Tagger) -> None:
    from flows.tagging.jsonl import BadLine, tag_each

    name = str(file) if file else "<stdin>"
    bad = 0
    source = file.open(encoding="utf-8") if file else sys.stdin
    try:
        for item in tag_each(source, tagger):
            if isinstance(item, BadLine):
                bad += 1
                ident = f" (id {item.id!r})" if item.id is not None else ""
                err.print(f"error: {name}:{item.number}: {item.problem}{ident}; each line must "
                          "be a JSON object with a 'text' string", markup=False, highlight=False)
            else:
                sys.stdout.write(item + "\n")
    except UnicodeDecodeError:
        fail(f"{name}: not UTF-8 text; save it as UTF-8")
    finally:
        if file:
            source.close()
    if bad:
        raise typer.Exit(1)


@app.command()
def reprocess(
    tags: Annotated[bool, typer.Option("--tags", help="Re-tag every stored article with the "
                                       "current topics.toml, and refresh its places.")] = False,
    batch_size: Annotated[int, typer.Option(min=1, help="Articles per transaction.")] = 2_000,
) -> None:
    """Re-run a stage over the stored corpus (after topics.toml or places.toml changed)."""
    if not tags:
        fail("say what to reprocess: `steppewatch reprocess --tags`")
    import duckdb

    from crawlers.tomlconfig import ConfigError
    from flows.reprocess import reprocess_tags
    from flows.tagging.places import load_gazetteer
    from flows.tagging.tagger import Tagger
    from warehouse.connection import (
        WarehouseBusy,
        WarehouseMissing,
        WarehouseUnreadable,
        existing_warehouse,
        open_warehouse,
    )

    data = data_dir()
    try:
        existing_warehouse(data)  # before reading the topics: say this first
    except WarehouseMissing as missing:
        fail(str(missing))
    places_file = Paths.config / "places.toml"
    try:  # each error names its file (and line and column)
        tagger = Tagger.from_file(Paths.config / "topics.toml")
        gazetteer = load_gazetteer(places_file) if places_file.exists() else None
    except ConfigError as error:
        fail(str(error))
    try:
        with open_warehouse(data, create=False) as con:
            result = reprocess_tags(con, tagger, gazetteer, batch_size)
    except (WarehouseMissing, WarehouseBusy, WarehouseUnreadable) as error:
        fail(str(error))
    except duckdb.IOException as error:
        fail(f"cannot open the warehouse for writing (is a nightly run loading?): "
             f"{str(error).splitlines()[0]}")
    rows = [[t, result.added[t], result.removed[t], result.kept[t]] for t in tagger.topic_ids]
    print_table(out, ["topic", "added", "removed", "kept"], rows,
                title=f"re-tagged {result.articles} articles with topics version "
                      f"{result.topics_version} ({result.run_id})")
