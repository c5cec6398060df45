"""The `steppewatch` command: thin layer over the library; each command calls one function."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from flows.output import print_table
from flows.prefect_env import configure_prefect

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="steppewatch: Central Asian news monitoring for police, protest and "
                       "torture stories.")
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)
DEMO_DATA = Path("data/demo")


class Paths:
    config: Path = Path("config")
    data: Path | None = None


def fail(message: str, code: int = 1) -> None:
    """One readable line on stderr and a non-zero exit."""
    err.print(f"[red]error:[/red] {message}", highlight=False)
    raise typer.Exit(code)


@app.callback()
def main(
    config: Annotated[Path, typer.Option(envvar="STEPPEWATCH_CONFIG",
                                         help="Folder with sources.toml, topics.toml, "
                                              "settings.toml.")] = Path("config"),
    data: Annotated[Path | None, typer.Option(envvar="STEPPEWATCH_DATA",
                                              help="Data folder (warehouse, WARC, reports); "
                                                   "default ./data, ./data/demo for demo.")] = None,
) -> None:
    Paths.config, Paths.data = config, data


def data_dir(default: Path = Path("data")) -> Path:
    return Paths.data or default


def _run_nightly(data: Path, replay_address: str | None, mode: str,
                 only: list[str] | None) -> dict:
    configure_prefect(data)
    from prefect.task_runners import ThreadPoolTaskRunner  # Prefect reads its env on import

    from flows.nightly import AllSourcesFailed, nightly
    from flows.settings import load_settings

    workers = load_settings(Paths.config, data).max_parallel_sources + 1
    flow = nightly.with_options(task_runner=ThreadPoolTaskRunner(max_workers=workers))
    try:
        return flow(config_dir=str(Paths.config), data_dir=str(data),
                       replay_address=replay_address, only_sources=only, mode=mode)
    except AllSourcesFailed as failure:
        fail(str(failure))
    raise AssertionError("unreachable")


def _print_summary(summary: dict) -> None:
    columns = ["source", "status", "pages", "article pages", "already stored", "new articles",
               "errors", "seconds"]
    rows = []
    for o in summary["sources"]:
        c = o["crawl"] or {}
        rows.append([o["source_id"], o["status"] if o["status"] == "ok" else o["message"],
                     c.get("pages_fetched", 0), c.get("article_pages", 0),
                     c.get("skipped_seen", 0), summary["articles_new"].get(o["source_id"], 0),
                     c.get("errors", 0) + o["extract_errors"], c.get("seconds", 0)])
    print_table(out, columns, rows, title=f"run {summary['run_id']} — {summary['status']}")
    total_new = sum(summary["articles_new"].values())
    fetched = sum(r[3] for r in rows)
    out.print(f"article pages fetched: {fetched}; new articles stored: {total_new}")
    for report in summary["reports"]:
        out.print(f"report ({report['rule']}, {report['stories']} new stories): {report['html']}")
        out.print(f"                                   markdown: {report['markdown']}")


@app.command()
def nightly(
    only: Annotated[list[str] | None, typer.Option("--source", help="Crawl only this source "
                                                   "(repeatable).")] = None,
) -> None:
    """Crawl the real outlets once: crawl, extract, tag, load, alert."""
    summary = _run_nightly(data_dir(), None, "nightly", only)
    _print_summary(summary)


@app.command()
def demo(
    only: Annotated[list[str] | None, typer.Option("--source", help="Replay only this source "
                                                   "(repeatable).")] = None,
) -> None:
    """One nightly run against the offline replay of the real outlets (loopback only)."""
    from crawlers.replay_server import ReplayServer
    from flows.settings import load_settings

    data = data_dir(DEMO_DATA)
    settings = load_settings(Paths.config, data)
    if not settings.replay_sites.is_dir():
        fail(f"replay fixtures not found at {settings.replay_sites}; run from the project folder")
    with ReplayServer(settings.replay_sites) as server:
        out.print(f"replay web of {len(list(settings.replay_sites.iterdir()))} hosts "
                  f"on {server.address}")
        summary = _run_nightly(data, server.address, "replay", only)
    _print_summary(summary)
    out.print(f"\nwarehouse: {data / 'steppewatch.duckdb'}")
    out.print("try a query:\n  steppewatch --data " + str(data) + " sql \"select outlet, title, "
              "topics from stories where len(topics) > 0 order by published_at desc limit 10\"")


@app.command()
def extract(
    file: Annotated[Path, typer.Argument(help="An HTML file.", exists=True, dir_okay=False)],
    url: Annotated[str | None, typer.Option(help="The page's URL.")] = None,
) -> None:
    """Extract the article of an HTML file and print it as JSON."""
    from crawlers.extraction import ExtractionError, extract_article

    try:
        article = extract_article(file.read_bytes(), url or file.resolve().as_uri(), "text/html")
    except ExtractionError as error:
        fail(str(error))
    sys.stdout.write(json.dumps(article.to_dict(), ensure_ascii=False, indent=1) + "\n")


def run() -> None:
    logging.basicConfig(level=logging.WARNING)
    app()


# Commands of other areas register themselves on `app` when imported.
from flows import cli_alerts, cli_tagging, cli_warehouse  # noqa: E402,F401
