"""Tagging commands: try topic queries on texts, measure them on a labelled set."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from flows.cli import Paths, app, out


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
