"""The workspace: a small server-rendered web app over the warehouse (docs/WEB.md).

Read-only except corrections; every page answers with a strict CSP; beyond loopback it
asks for the access token named in [web] token_env."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from flows.settings import Settings
from flows.web import (
    archive_pages,
    feedback_pages,
    history_pages,
    near_miss_pages,
    stories_pages,
)
from flows.web.i18n import UI_COOKIE, UI_LANGUAGES
from flows.web.security import SecurityHeaders, TokenRequired, is_loopback
from flows.web.state import WebState
from warehouse.connection import WarehouseBusy, WarehouseMissing


class TokenMissing(RuntimeError):
    """Listening beyond loopback without an access token in the environment."""


def access_token(settings: Settings, host: str) -> str | None:
    """The token every request must carry: required when `host` is not loopback."""
    token = os.environ.get(settings.web.token_env, "").strip() or None
    if token is None and not is_loopback(host):
        raise TokenMissing(
            f"listening on {host} needs an access token: set {settings.web.token_env} in the "
            "environment (a long random string), or listen on 127.0.0.1")
    return token


def switch_language(request: Request) -> Response:
    """Sets the interface language and goes back to the page it was chosen on."""
    lang = request.path_params["lang"]
    back = request.query_params.get("next", "/")
    if not back.startswith("/") or back.startswith("//"):
        back = "/"  # only this site's pages
    response = RedirectResponse(back, 303)
    if lang in UI_LANGUAGES:
        response.set_cookie(UI_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


def _home(request: Request) -> Response:
    return RedirectResponse("/stories", 307)


ROUTES = [
    Route("/", _home),
    Route("/stories", stories_pages.stories),
    Route("/stories.{fmt:str}", stories_pages.export),
    Route("/stories/{article_id:str}", stories_pages.story),
    Route("/stories/{article_id:str}/corrections", feedback_pages.record, methods=["POST"]),
    Route("/archive/{capture_id:str}", archive_pages.archive),
    Route("/archive/{capture_id:str}/page", archive_pages.archive_frame),
    Route("/archive/{capture_id:str}/record.warc.gz", archive_pages.archive_record),
    Route("/sources", history_pages.sources),
    Route("/sources/{source_id:str}", history_pages.source),
    Route("/runs", history_pages.runs),
    Route("/runs/{run_id:str}", history_pages.run),
    Route("/reports", history_pages.reports),
    Route("/reports/{name:str}", history_pages.report_file),
    Route("/missed", near_miss_pages.missed),
    Route("/corrections", feedback_pages.corrections),
    Route("/corrections.jsonl", feedback_pages.export),
    Route("/language/{lang:str}", switch_language),
]


def create_app(settings: Settings, host: str = "127.0.0.1") -> Starlette:
    """The workspace over `settings.data_dir`; TokenMissing when `host` is not loopback
    and no token is set."""
    token = access_token(settings, host)
    state = WebState.from_settings(settings)
    state.access.bring_up_to_date()
    middleware = [Middleware(SecurityHeaders)]
    if token:
        middleware.append(Middleware(TokenRequired, token=token))
    static = StaticFiles(packages=[("flows.web", "static")])

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        state.access.close()  # the kept reader leaves the file to the nightly at once

    app = Starlette(routes=[*ROUTES, Mount("/static", static, name="static")],
                    middleware=middleware, lifespan=lifespan,
                    exception_handlers={WarehouseBusy: _busy, WarehouseMissing: _missing})
    app.state.web = state
    return app


async def _busy(request: Request, exc: Exception) -> Response:
    state: WebState = request.app.state.web
    return state.renderer.page(request, "error.html.j2", 503, message_key="page.busy")


async def _missing(request: Request, exc: Exception) -> Response:
    state: WebState = request.app.state.web
    return state.renderer.page(request, "error.html.j2", 503, message=str(exc))
