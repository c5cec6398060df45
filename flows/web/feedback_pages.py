"""Corrections: a monitor marks a topic of a story as wrong or missing (the app's only
write, through warehouse.feedback), the list of corrections, and their export as labelled
JSON lines that `steppewatch tag --eval` reads."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from flows.web.security import CSRF_FIELD, csrf_ok
from flows.web.state import WebState


async def record(request: Request) -> Response:
    state: WebState = request.app.state.web
    article_id = request.path_params["article_id"]
    form = await request.form()
    if not csrf_ok(request, str(form.get(CSRF_FIELD, ""))):
        return Response("the form is stale or came from another site; reload the story and "
                        "send the correction again\n", 403, media_type="text/plain")
    outcome = _store(state, article_id, {k: str(form.get(k, "")) for k in
                                         ("key", "topic", "verdict", "note")})
    return RedirectResponse(f"/stories/{article_id}?correction={outcome}#corrections", 303)


def _store(state: WebState, article_id: str, fields: dict[str, str]) -> str:
    """stored, already or rejected (the reason is not echoed into a URL: it is logged)."""
    from warehouse.feedback import FeedbackError, record_feedback

    try:
        with state.access.writing() as con:
            stored = record_feedback(con, key=fields["key"], article_id=article_id,
                                     topic=fields["topic"], verdict=fields["verdict"],
                                     note=fields["note"] or None,
                                     topics=list(state.topics.labels))
    except FeedbackError:
        return "rejected"
    return "stored" if stored else "already"


def corrections(request: Request) -> Response:
    state: WebState = request.app.state.web
    from warehouse.feedback import list_feedback

    with state.access.reading() as con:
        rows = list_feedback(con)
    return state.renderer.page(request, "feedback.html.j2", rows=rows)


def export(request: Request) -> Response:
    state: WebState = request.app.state.web
    from warehouse.feedback import feedback_examples

    with state.access.reading() as con:
        examples = feedback_examples(con)
    body = "".join(json.dumps(e, ensure_ascii=False, default=str) + "\n" for e in examples)
    return Response(body, media_type="application/x-ndjson",
                    headers={"content-disposition":
                             'attachment; filename="steppewatch-corrections.jsonl"'})
