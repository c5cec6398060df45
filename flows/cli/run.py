"""Commands that run the pipeline: nightly, demo, serve, and extract for one HTML file."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli.app import Paths, app, data_dir, fail, out
from flows.cli.output import print_table
from flows.prefect_env import configure_prefect

if TYPE_CHECKING:
    from flows.settings import Settings

DEMO_DATA = Path("data/demo")


def checked_config(data: Path, only: list[str] | None = None) -> Settings:
    """Read and check every config file (settings, sources, topics, places) and the
    --source ids before any work starts, so a mistake in them creates nothing: one line
    naming the file (line and column for a syntax error) and exit 1."""
    from crawlers.sources import load_sources
    from crawlers.tomlconfig import ConfigError
    from flows.settings import load_settings
    from flows.tagging.places import load_gazetteer
    from flows.tagging.tagger import Tagger

    try:
        settings = load_settings(Paths.config, data)
        known = [s.id for s in load_sources(settings.sources_file)]
        Tagger.from_file(settings.topics_file)
        if (Paths.config / "places.toml").exists():
            load_gazetteer(Paths.config / "places.toml")
    except ConfigError as error:
        fail(str(error))
    unknown = [s for s in dict.fromkeys(only or []) if s not in known]
    if unknown:
        fail(f"unknown --source {', '.join(unknown)}: not an id in {settings.sources_file}; "
             f"known ids: {', '.join(known)}")
    return settings


def _run_nightly(data: Path, replay_address: str | None, mode: str,
                 only: list[str] | None, since: str | None = None) -> dict:
    """The nightly flow; `since` checked already (with checked_config: before this starts)."""
    configure_prefect(data)
    from flows.nightly import AllSourcesFailed, nightly  # Prefect reads its env on import
    try:
        return nightly(config_dir=str(Paths.config), data_dir=str(data),
                       replay_address=replay_address, only_sources=only, mode=mode,
                       since=since, now=os.environ.get("STEPPEWATCH_NOW"))
    except AllSourcesFailed as failure:
        fail(str(failure))
    raise AssertionError("unreachable")


SINCE_HELP = ("Backfill: walk sitemaps, feeds and pagination back to this date (YYYY-MM-DD) "
              "and store no older article.")


def _checked_since(since: str | None) -> str | None:
    """--since as YYYY-MM-DD, or a one-line error. (Env STEPPEWATCH_NOW, an ISO date-time,
    simulates the clock of the revisit policy; see docs/CRAWLING.md.)"""
    from flows.crawl import CrawlOptionsError, parse_now, parse_since

    try:
        parse_now(os.environ.get("STEPPEWATCH_NOW"))
        return parse_since(since)
    except CrawlOptionsError as error:
        fail(str(error))
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
    if summary.get("archive_check"):
        out.print(summary["archive_check"])
    for report in summary["reports"]:
        out.print(f"report ({report['rule']}, {report['stories']} new stories): {report['html']}")
        out.print(f"                                   markdown: {report['markdown']}")


@app.command()
def nightly(
    only: Annotated[list[str] | None, typer.Option("--source", help="Crawl only this source "
                                                   "(repeatable).")] = None,
    since: Annotated[str | None, typer.Option("--since", help=SINCE_HELP)] = None,
) -> None:
    """Crawl the real outlets once: crawl, extract, tag, load, alert."""
    since = _checked_since(since)
    checked_config(data_dir(), only)
    summary = _run_nightly(data_dir(), None, "nightly", only, since)
    _print_summary(summary)


@app.command()
def demo(
    only: Annotated[list[str] | None, typer.Option("--source", help="Replay only this source "
                                                   "(repeatable).")] = None,
    since: Annotated[str | None, typer.Option("--since", help=SINCE_HELP)] = None,
) -> None:
    """One nightly run against the offline replay of the real outlets (loopback only)."""
    from crawlers.replay_server import ReplayServer

    data = data_dir(DEMO_DATA)
    since = _checked_since(since)
    settings = checked_config(data, only)
    sites = settings.replay.sites
    if sites is None:
        fail(f"{settings.settings_file}: [replay] sites is not set; name the replay web's "
             'folder there, e.g. sites = "tests/replay/sites" in a project checkout')
    if not sites.is_dir():
        fail(f"{settings.settings_file}: [replay] sites {str(sites)!r} is not a folder (from "
             f"{Path.cwd()}); run from the project folder or set the path")
    overlays = tuple(Path(o) for o in settings.replay.overlays)
    missing = [str(o) for o in overlays if not o.is_dir()]
    if missing:
        fail(f"{settings.settings_file}: [replay] overlays {missing[0]!r} is not a folder")
    with ReplayServer(sites, overlays=overlays) as server:
        out.print(f"replay web of {len(list(sites.iterdir()))} hosts on {server.address}")
        summary = _run_nightly(data, server.address, "replay", only, since)
    _print_summary(summary)
    out.print(f"\nwarehouse: {data / 'steppewatch.duckdb'}")
    command = _command_as_typed()
    out.print(f"try a query:\n  {command} --data {data} sql \"select outlet, title, topics from "
              "stories where len(topics) > 0 order by published_at desc limit 10\"")
    out.print(f"check the evidence chain:\n  {command} --data {data} verify")
    out.print("open the workspace (stories, archived pages, sources, runs, reports, stories "
              f"to check):\n  {command} --data {data} web    # then "
              f"http://{settings.web.host}:{settings.web.port}/")


def _command_as_typed() -> str:
    """`steppewatch` when that is the command on PATH, else the path it was started by (as
    `make demo` starts .venv/bin/steppewatch), so the hints work when pasted."""
    started = Path(sys.argv[0])
    on_path = shutil.which("steppewatch")
    if on_path and Path(on_path).resolve() == started.resolve():
        return "steppewatch"
    return str(started) if started.name == "steppewatch" else "steppewatch"


@app.command()
def serve() -> None:
    """Run the nightly on its schedule (settings.toml: cron and timezone) until stopped
    (Ctrl-C or SIGTERM: the schedule is paused and the command exits 0)."""
    from crawlers.tomlconfig import ConfigError

    data = data_dir()
    settings = checked_config(data)  # each scheduled run reads them: a mistake fails now
    configure_prefect(data)
    from flows.serve import schedule, serve_nightly, start_local_server, stop_local_server

    server = None
    try:
        if not os.environ.get("PREFECT_API_URL"):  # set before Prefect is imported
            server = start_local_server(data)
            out.print(f"local Prefect server: {os.environ['PREFECT_API_URL']}")
        try:
            schedule(settings)
        except ConfigError as error:
            fail(str(error))
        out.print(f"serving nightly: cron {settings.schedule.cron!r} in "
                  f"{settings.schedule.timezone}")
        serve_nightly(settings)  # returns on Ctrl-C or SIGTERM
    except KeyboardInterrupt:  # Ctrl-C before serving began
        pass
    finally:
        if server:
            stop_local_server(server)
    out.print("stopped serving nightly")


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
