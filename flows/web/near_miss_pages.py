"""The stories to check: near misses, stories a topic's query matched without tagging them,
the model's likeliest first, so that a monitor can add a missing topic where the tagger
fell short (warehouse/near_misses.py).

Parameters: topic, lang, from (YYYY-MM-DD), page; every state is a permalink."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import Response

from flows.web.filters import FilterError, day, parse_page, without_empty_fields
from flows.web.state import WebState
from warehouse.near_misses import near_miss_page
from warehouse.stories import PAGE_SIZE, filter_choices


def _params(params: QueryParams, topics: list[str]) -> tuple[dict[str, str], date | None]:
    """The page's parameters that are set, each checked, and the first day; FilterError
    names a bad one."""
    chosen = {name: params.get(name, "").strip() for name in ("topic", "lang", "from")}
    if chosen["topic"] and chosen["topic"] not in topics:
        raise FilterError(f"topic={chosen['topic']!r} is not a topic; use one of "
                          f"{', '.join(topics)}")
    day_from = day(params, "from")
    return {name: value for name, value in chosen.items() if value}, day_from


def _address(chosen: dict[str, str], page: int = 1) -> str:
    pairs = list(chosen.items()) + ([("page", str(page))] if page > 1 else [])
    return "/missed" + ("?" + urlencode(pairs) if pairs else "")


def missed(request: Request) -> Response:
    state: WebState = request.app.state.web
    try:
        chosen, day_from = _params(request.query_params, list(state.topics.labels))
        page = parse_page(request.query_params)
    except FilterError as error:
        return state.renderer.page(request, "error.html.j2", 400, message=str(error))
    canonical = _address(chosen, page)
    if redirect := without_empty_fields(request, canonical):
        return redirect
    with state.access.reading() as con:
        languages = filter_choices(con)["language"]
        result = near_miss_page(con, chosen.get("topic"), chosen.get("lang"), day_from,
                                offset=(page - 1) * PAGE_SIZE)
    pages = max((result.total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    response = state.renderer.page(
        request, "missed.html.j2", chosen=chosen, result=result, languages=languages,
        newer=_address(chosen, page - 1) if page > 1 else None,
        older=_address(chosen, page + 1) if page < pages else None)
    response.headers["hx-push-url"] = canonical
    return response
