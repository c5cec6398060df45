"""The stories list (filters, search, exports) and the story page."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, Response, StreamingResponse

from flows.alerts.near_duplicates import SIMILAR, similarity, sketch
from flows.textdiff import condensed, word_diff
from flows.web.filters import (
    FilterError,
    filter_query,
    parse_filter,
    parse_page,
    without_empty_fields,
)
from flows.web.state import WebState
from warehouse.changes import story_changes
from warehouse.export import write_query
from warehouse.feedback import new_feedback_key
from warehouse.near_misses import story_near_misses
from warehouse.sql import records
from warehouse.stories import (
    PAGE_SIZE,
    StoryFilter,
    StoryRow,
    export_statement,
    filter_choices,
    list_stories,
    neighbour_leads,
    story_detail,
    story_versions,
)
from warehouse.telegram import telegram_mentions

SEARCH_LIMIT = 2000  # a search narrows the list to at most this many best hits
EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json",
                  "parquet": "application/vnd.apache.parquet"}


class SearchFailed(ValueError):
    """The search query could not be run (its syntax, or no index yet); shown on the page."""


def _search_ids(con: Any, f: StoryFilter) -> list[str] | None:
    """Article ids the filter's query finds (narrowed by its filters), best first; None when
    there is no query."""
    if not f.query:
        return None
    from warehouse.search import SearchIndexMissing, search_scores

    try:
        return list(search_scores(
            con, f.query, topic=f.topics[0] if len(f.topics) == 1 else None, country=f.country,
            outlet=f.outlet, language=f.language, since=f.day_from, until=f.day_to,
            limit=SEARCH_LIMIT))
    except SearchIndexMissing as error:
        raise SearchFailed(str(error)) from None
    except ValueError as error:  # the query's syntax
        raise SearchFailed(str(error).splitlines()[0]) from None


def stories(request: Request) -> Response:
    state: WebState = request.app.state.web
    try:
        story_filter, page = parse_filter(request.query_params), parse_page(request.query_params)
    except FilterError as error:
        return state.renderer.page(request, "error.html.j2", 400, message=str(error))
    canonical = "/stories" + filter_query(story_filter, page)
    if redirect := without_empty_fields(request, canonical):
        return redirect
    search_error = None
    with state.access.reading() as con:
        choices = filter_choices(con)
        try:
            ids = _search_ids(con, story_filter)
        except SearchFailed as error:
            search_error, ids = str(error), []
        result = list_stories(con, story_filter, ids, offset=(page - 1) * PAGE_SIZE)
    pages = max((result.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    response = state.renderer.page(
        request, "stories.html.j2", f=story_filter, result=result, page=page, pages=pages,
        choices=choices, search_error=search_error, query=filter_query(story_filter),
        newer=filter_query(story_filter, page - 1) if page > 1 else None,
        older=filter_query(story_filter, page + 1) if page < pages else None)
    response.headers["hx-push-url"] = canonical  # the address bar shows the permalink
    return response


def export(request: Request) -> Response:
    """The current selection (all its pages) as CSV, JSON or Parquet."""
    state: WebState = request.app.state.web
    fmt = request.path_params["fmt"]
    if fmt not in EXPORT_FORMATS:
        return state.renderer.page(request, "error.html.j2", 404, message_key="page.not_found")
    try:
        story_filter = parse_filter(request.query_params)
    except FilterError as error:
        return Response(f"{error}\n", status_code=400, media_type="text/plain")
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    filename = f"steppewatch-stories-{stamp}.{fmt}"
    if fmt == "json":
        try:
            records = _export_records(state, story_filter)
        except SearchFailed as error:
            return Response(f"{error}\n", status_code=400, media_type="text/plain")
        return StreamingResponse(_json_chunks(records), media_type=EXPORT_FORMATS[fmt],
                                 headers={"content-disposition":
                                          f'attachment; filename="{filename}"'})
    folder = Path(tempfile.mkdtemp(prefix="steppewatch-export-"))
    output = folder / f"stories.{fmt}"
    try:
        with state.access.exporting(output) as (con, target):
            sql, params = export_statement(story_filter, _search_ids(con, story_filter))
            write_query(con, sql, params, fmt, target)
    except SearchFailed as error:
        shutil.rmtree(folder, ignore_errors=True)
        return Response(f"{error}\n", status_code=400, media_type="text/plain")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return FileResponse(output, media_type=EXPORT_FORMATS[fmt], filename=filename,
                        background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True))


def _export_records(state: WebState, story_filter: StoryFilter) -> list[dict[str, Any]]:
    """The selection's stories as records, their statement run once; the reader is let go
    before they are encoded and sent."""
    with state.access.reading() as con:
        return records(con.execute(*export_statement(story_filter,
                                                     _search_ids(con, story_filter))))


JSON_CHUNK = 64 * 1024  # characters of the JSON export sent at a time


def _json_chunks(records: list[dict[str, Any]]) -> Iterator[bytes]:
    """The records as one JSON array (json.dumps with indent=1), sent as it is encoded: the
    download starts at once instead of after 8 MB are written."""
    encoder = json.JSONEncoder(ensure_ascii=False, default=str, indent=1)
    pending: list[str] = []
    size = 0
    for piece in encoder.iterencode(records):
        pending.append(piece)
        size += len(piece)
        if size >= JSON_CHUNK:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    yield "".join(pending).encode("utf-8")


def also_reported(con: Any, story: StoryRow) -> list[dict[str, Any]]:
    """Near-identical stories of other outlets within three days, most similar first."""
    mine = sketch(story.text)
    found = []
    for lead in neighbour_leads(con, story):
        score = similarity(mine, sketch(lead["lead"]))
        if score >= SIMILAR:
            found.append({**lead, "similarity": score})
    return sorted(found, key=lambda r: -r["similarity"])


def versions_with_changes(con: Any, article_id: str) -> list[dict[str, Any]]:
    """Each version with what changed from the one before it (word by word)."""
    out: list[dict[str, Any]] = []
    previous = None
    for version in story_versions(con, article_id):
        changes = condensed(word_diff(previous.text, version.text)) if previous else []
        title_changed = previous is not None and previous.title != version.title
        out.append({"version": version, "changes": changes, "title_changed": title_changed,
                    "previous_title": previous.title if previous else None})
        previous = version
    return out


def story(request: Request) -> Response:
    state: WebState = request.app.state.web
    article_id = request.path_params["article_id"]
    with state.access.reading() as con:
        detail = story_detail(con, article_id)
        if detail is None:
            return state.renderer.page(request, "error.html.j2", 404, message_key="story.not_found")
        context = {"detail": detail, "story": detail.story,
                   "also": also_reported(con, detail.story),
                   "telegram": telegram_mentions(con, article_id),
                   "versions": versions_with_changes(con, article_id),
                   "found_changes": story_changes(con, article_id),
                   "corrections": state.corrections_of(con, article_id),
                   "near": story_near_misses(con, article_id)}
    # From the stories to check (/missed): the topic to check, preselected as missing.
    check = request.query_params.get("check")
    return state.renderer.page(request, "story.html.j2", form_key=new_feedback_key(),
                               check=check if check in state.topics.labels else None,
                               **context)
