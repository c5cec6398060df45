"""The stories page's filters as URL parameters: every filter state is a permalink.

q (search query), topic (repeatable), country, outlet, lang, from, to (YYYY-MM-DD),
all=1 (stories without a topic too), page (1-based)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse

from warehouse.stories import StoryFilter

MAX_QUERY_CHARS = 500


class FilterError(ValueError):
    """A parameter the page cannot use; the message names it and what it should be."""


def day(params: QueryParams, name: str) -> date | None:
    """The date parameter ``name`` (YYYY-MM-DD); None when empty."""
    value = params.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise FilterError(f"{name}={value!r} is not a date; write it as YYYY-MM-DD") from None


def _one(params: QueryParams, name: str) -> str | None:
    value = params.get(name, "").strip()
    return value or None


def parse_filter(params: QueryParams) -> StoryFilter:
    query = params.get("q", "").strip()
    if len(query) > MAX_QUERY_CHARS:
        raise FilterError(f"the search query is longer than {MAX_QUERY_CHARS} characters")
    country = _one(params, "country")
    return StoryFilter(
        query=query,
        topics=tuple(t for t in params.getlist("topic") if t),
        country=country.upper() if country else None,
        outlet=_one(params, "outlet"),
        language=_one(params, "lang"),
        day_from=day(params, "from"),
        day_to=day(params, "to"),
        matched_only=params.get("all") != "1",
    )


def parse_page(params: QueryParams) -> int:
    value = params.get("page", "1")
    if not value.isdigit() or int(value) < 1:
        raise FilterError(f"page={value!r} is not a page number (1, 2, …)")
    return int(value)


def filter_params(f: StoryFilter, page: int = 1) -> list[tuple[str, str]]:
    """The URL parameters of a filter state (empty ones left out), in a stable order."""
    pairs: list[tuple[str, str]] = []
    if f.query:
        pairs.append(("q", f.query))
    pairs += [("topic", t) for t in f.topics]
    for name, value in (("country", f.country), ("outlet", f.outlet), ("lang", f.language),
                        ("from", f.day_from and f.day_from.isoformat()),
                        ("to", f.day_to and f.day_to.isoformat())):
        if value:
            pairs.append((name, value))
    if not f.matched_only:
        pairs.append(("all", "1"))
    if page > 1:
        pairs.append(("page", str(page)))
    return pairs


def filter_query(f: StoryFilter, page: int = 1) -> str:
    """`?…` of the filter state ('' when nothing is set)."""
    pairs = filter_params(f, page)
    return "?" + urlencode(pairs) if pairs else ""


def without_empty_fields(request: Request, canonical: str) -> RedirectResponse | None:
    """A redirect to ``canonical`` when a form sent empty fields (a plain GET; htmx gets the
    address through hx-push-url instead), so that the address is the permalink."""
    if any(not value for _, value in request.query_params.multi_items()) \
            and not request.headers.get("hx-request"):
        return RedirectResponse(canonical, 303)
    return None
