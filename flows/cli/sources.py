"""Commands about the outlets: `sources check` fetches each source's robots.txt, feeds,
sitemaps and listings once and says what still works and what to change in sources.toml;
`import` brings pages archived elsewhere into the warehouse as the source's pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from flows.cli.app import Paths, app, data_dir, err, fail, out

if TYPE_CHECKING:
    from crawlers.check import Fetcher
    from crawlers.sources import Source
    from flows.settings import Settings

sources_app = typer.Typer(no_args_is_help=True, help="Look at the configured outlets.")
app.add_typer(sources_app, name="sources")


@sources_app.command("check")
def check(
    ids: Annotated[list[str] | None, typer.Argument(help="Source ids; default all.")] = None,
    replay: Annotated[bool, typer.Option("--replay", help="Check the offline replay web "
                                         "([replay] sites) on loopback, not the real web.")]
    = False,
) -> None:
    """Fetch each source's robots.txt, feeds, sitemaps and listings (one request each, a
    pause between them) and print what answered, redirects, article links found, how many
    match article_pattern, samples, and what to change. Exit 1 when a source needs a
    change."""
    from crawlers.check import http_fetcher
    from crawlers.sources import load_sources
    from crawlers.tomlconfig import ConfigError
    from flows.settings import load_settings

    try:
        settings = load_settings(Paths.config.resolve())
        sources = load_sources(settings.sources_file)
    except ConfigError as error:
        fail(str(error))
    unknown = sorted(set(ids or []) - {s.id for s in sources})
    if unknown:
        fail(f"unknown source ids {unknown}; see {settings.sources_file}")
    chosen = [s for s in sources if not ids or s.id in ids]
    if replay:
        _check_replay(chosen, settings)
        return
    agent = settings.crawl.user_agent
    needs_change = _check_all(chosen, http_fetcher(None, agent), 1.0, agent)
    raise typer.Exit(1 if needs_change else 0)


def _check_replay(sources: list[Source], settings: Settings) -> None:
    from crawlers.check import http_fetcher
    from crawlers.replay_server import ReplayServer

    sites = settings.replay.sites
    if sites is None or not sites.is_dir():
        fail("[replay] sites in settings.toml does not name the replay web's folder")
        return
    with ReplayServer(sites) as server:
        agent = settings.crawl.user_agent
        needs_change = _check_all(sources, http_fetcher(server.address, agent), 0.0, agent)
    raise typer.Exit(1 if needs_change else 0)


def _check_all(sources: list[Source], fetch: Fetcher, pause_s: float, agent: str) -> bool:
    from crawlers.check import check_source, report_lines

    needs_change = False
    for source in sources:
        result = check_source(source, fetch, pause_s, agent)
        for line in report_lines(result):
            out.print(line, highlight=False)
        needs_change |= bool(result.advice())
    return needs_change


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="WARC files (.warc, .warc.gz) and JSON "
                                                "lines (url, title, text, date, language).")],
) -> None:
    """Import pages archived elsewhere: each goes to the source whose host it is on, and is
    extracted, tagged and loaded like a crawled page, once, however often it is imported."""
    from crawlers.tomlconfig import ConfigError
    from flows.importing import import_files

    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        fail(f"no such file: {', '.join(missing)}")
    try:
        summary = import_files(Paths.config, data_dir(), files)
    except ConfigError as error:
        fail(str(error))
        return
    for line in summary.bad_lines:
        err.print(f"error: {line}", highlight=False)
    for source_id, staged in sorted(summary.pages.items()):
        out.print(f"{source_id}: {staged} pages, "
                  f"{summary.articles_new.get(source_id, 0)} new articles", highlight=False)
    out.print(f"run {summary.run_id}: {sum(summary.pages.values())} pages imported, "
              f"{summary.skipped_seen} already stored, {summary.unassigned} on no source's "
              "host", highlight=False)
    raise typer.Exit(1 if summary.bad_lines else 0)
