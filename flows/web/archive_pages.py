"""The archived copy of a page, straight from our WARC: its record's facts, the raw record
to download, and the page as fetched, rendered inert in a sandboxed frame."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from flows.web.archive_copy import ArchivedCapture, archived_capture, raw_record
from flows.web.sanitise import ARCHIVE_FRAME_CSP, ARCHIVE_FRAME_SANDBOX, sanitised_page
from flows.web.state import WebState

FRAME_HEADERS = {"content-security-policy": ARCHIVE_FRAME_CSP, "x-frame-options": "SAMEORIGIN",
                 "cache-control": "private, max-age=3600"}


def _capture(request: Request) -> ArchivedCapture | None:
    state: WebState = request.app.state.web
    with state.access.reading() as con:
        return archived_capture(con, state.data_dir, request.path_params["capture_id"])


def archive(request: Request) -> Response:
    state: WebState = request.app.state.web
    capture = _capture(request)
    if capture is None:
        return state.renderer.page(request, "error.html.j2", 404, message_key="archive.not_found")
    return state.renderer.page(request, "archive.html.j2", capture=capture,
                               sandbox=ARCHIVE_FRAME_SANDBOX)


def archive_frame(request: Request) -> Response:
    """The page as fetched, sanitised, under a CSP that forbids every script and load."""
    capture = _capture(request)
    if capture is None:
        return Response("no archived copy with this id\n", 404, headers=FRAME_HEADERS)
    html = sanitised_page(capture.body, capture.content_type, capture.url)
    return HTMLResponse(html, headers=FRAME_HEADERS)


def archive_record(request: Request) -> Response:
    """The raw WARC record (one gzip member: itself a valid .warc.gz file)."""
    state: WebState = request.app.state.web
    capture = _capture(request)
    if capture is None:
        return Response("no archived copy with this id\n", 404, media_type="text/plain")
    name = f"steppewatch-{capture.capture_id}.warc.gz"
    return Response(raw_record(state.data_dir, capture), media_type="application/warc",
                    headers={"content-disposition": f'attachment; filename="{name}"'})
