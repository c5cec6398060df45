"""Tagging commands: try topic queries on texts, measure them, re-tag the stored corpus."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from flows.cli import Paths, app, data_dir, fail, out
from flows.output import print_table


@app.command()
def tag(
    file: Annotated[Path | None, typer.Argument(help="JSON lines (id, text, title, lang); "
                                                "default stdin.")] = None,
    eval_file: Annotated[Path | None, typer.Option("--eval", help="Labelled JSON lines: print "
                                                   "precision, recall, F1.")] = None,
) -> None:
    """Tag texts with topics; JSON lines in, JSON lines with topics and matches out."""
    from flows.tagging.tagger import Tagger

    tagger = Tagger.from_file(Paths.config / "topics.toml")
    if eval_file:
        from flows.tagging.evaluate import evaluate, format_report

        out.print(format_report(evaluate(eval_file, tagger)), highlight=False)
        return
    from flows.tagging.jsonl import tag_lines

    source = file.open(encoding="utf-8") if file else sys.stdin
    for line in tag_lines(source, tagger):
        sys.stdout.write(line.rstrip("\n") + "\n")


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

    from flows.reprocess import reprocess_tags
    from flows.tagging.places import load_gazetteer
    from flows.tagging.tagger import Tagger
    from flows.tagging.topics import TopicsConfigError
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
    try:
        tagger = Tagger.from_file(Paths.config / "topics.toml")
    except (OSError, TopicsConfigError) as error:
        fail(f"{Paths.config / 'topics.toml'}: {error}")
    places_file = Paths.config / "places.toml"
    gazetteer = load_gazetteer(places_file) if places_file.exists() else None
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
