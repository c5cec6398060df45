"""Sources (health, each outlet's recent runs), runs (history, one run) and reports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from flows.web.state import WebState
from warehouse.history import (
    run_detail,
    run_history,
    run_sources,
    source_detail,
    source_overview,
    source_runs,
)

REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
_REPORT_NAME = re.compile(r"[A-Za-z0-9_.-]+\.(html|md|json)")
REPORT_TYPES = {"html": "text/html; charset=utf-8", "md": "text/markdown; charset=utf-8",
                "json": "application/json"}


def sources(request: Request) -> Response:
    state: WebState = request.app.state.web
    with state.access.reading() as con:
        rows = source_overview(con)
    return state.renderer.page(request, "sources.html.j2", sources=rows)


def source(request: Request) -> Response:
    state: WebState = request.app.state.web
    source_id = request.path_params["source_id"]
    with state.access.reading() as con:
        found = source_detail(con, source_id)
        runs = source_runs(con, source_id) if found else []
    if found is None:
        return state.renderer.page(request, "error.html.j2", 404, message_key="sources.not_found")
    return state.renderer.page(request, "source.html.j2", source=found, runs=runs)


def runs(request: Request) -> Response:
    state: WebState = request.app.state.web
    with state.access.reading() as con:
        rows = run_history(con)
    reports = report_files(state.data_dir)
    return state.renderer.page(request, "runs.html.j2", runs=rows,
                               reports_of={r.run_id: r for r in reports})


def run(request: Request) -> Response:
    state: WebState = request.app.state.web
    run_id = request.path_params["run_id"]
    with state.access.reading() as con:
        found = run_detail(con, run_id)
        rows = run_sources(con, run_id) if found else []
    if found is None:
        return state.renderer.page(request, "error.html.j2", 404, message_key="runs.not_found")
    reports = [r for r in report_files(state.data_dir) if r.run_id == run_id]
    return state.renderer.page(request, "run.html.j2", run=found, sources=rows,
                               reports=reports)


@dataclass(frozen=True)
class ReportFile:
    """One report of one rule in one run, in the formats written (html, md, json)."""
    stem: str
    run_id: str
    rule: str
    formats: tuple[str, ...]
    written_at: datetime


def report_files(data_dir: Path) -> list[ReportFile]:
    """The reports in DATA/reports, newest first (file names are RUN-RULE.FORMAT and run
    ids start with their start time, so the name orders them too)."""
    folder = data_dir / "reports"
    stems: dict[str, list[Path]] = {}
    for path in folder.glob("*.*") if folder.is_dir() else []:
        if _REPORT_NAME.fullmatch(path.name):
            stems.setdefault(path.name.rsplit(".", 1)[0], []).append(path)
    found = []
    for stem, paths in stems.items():
        run_id, rule = _split_stem(stem)
        written = max(p.stat().st_mtime for p in paths)
        found.append(ReportFile(stem, run_id, rule, tuple(sorted(p.suffix[1:] for p in paths)),
                                datetime.fromtimestamp(written, UTC)))
    return sorted(found, key=lambda r: (r.written_at, r.stem), reverse=True)


def _split_stem(stem: str) -> tuple[str, str]:
    """RUN-RULE: run ids are TIMESTAMP-HEX (one dash), rule names follow."""
    parts = stem.split("-")
    return "-".join(parts[:2]), "-".join(parts[2:]) or "-"


def reports(request: Request) -> Response:
    state: WebState = request.app.state.web
    files = report_files(state.data_dir)
    return state.renderer.page(request, "reports.html.j2", latest=files[0] if files else None,
                               older=files[1:])


def report_file(request: Request) -> Response:
    """A report as written (it is our own, escaped HTML), under a CSP of its own."""
    state: WebState = request.app.state.web
    name = request.path_params["name"]
    folder = state.data_dir / "reports"
    if not _REPORT_NAME.fullmatch(name) or not (folder / name).is_file():
        return state.renderer.page(request, "error.html.j2", 404, message_key="page.not_found")
    kind = name.rsplit(".", 1)[1]
    return FileResponse(folder / name, media_type=REPORT_TYPES[kind],
                        headers={"content-security-policy": REPORT_CSP})
