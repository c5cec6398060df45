"""Pages from Jinja2 templates (flows/web/templates), autoescaped: scraped text is always
shown as text. Each page gets the interface language's labels, the topics' labels and
colours, and the CSRF token of the one form that writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from flows.topic_colours import colour_index, css_class
from flows.web.highlight import segments, snippet, spans
from flows.web.i18n import Translator, catalogue, request_language
from flows.web.security import csrf_token, set_csrf_cookie


@dataclass(frozen=True)
class TopicLabels:
    """Topic ids in topics.toml order, their labels, and a colour class each (style.css's
    .topic-N, written from flows/topic_colours.py: the report's colours too)."""
    labels: dict[str, str]

    def label(self, topic: str) -> str:
        return self.labels.get(topic, topic)

    def colour(self, topic: str) -> str:
        return css_class(colour_index(topic, list(self.labels)))

    def names(self, topics: tuple[str, ...]) -> str:
        return ", ".join(self.label(t) for t in topics)

    def classes(self, topics: tuple[str, ...]) -> str:
        return " ".join(self.colour(t) for t in topics)


def _when(value: datetime | date | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def _size(n: int | None) -> str:
    n = n or 0
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


def problem_phrase(kind: str, n: int, t: Translator) -> str:
    """An error kind (or coverage gap reason) of the crawler and its count in words:
    `error.KIND` of the catalogue, an HTTP status by its class, else the kind named."""
    status = kind[5:] if kind.startswith("http_") and kind[5:].isdigit() else ""
    if f"error.{kind}" in catalogue():
        return t(f"error.{kind}", n=n)
    if status.startswith("5"):
        return t("error.http_5xx", n=n, status=status)
    if status:
        return t("error.http_other", n=n, status=status)
    return t("error.other", n=n, kind=kind.replace("_", " "))


def problem_words(kinds: Mapping[str, int], t: Translator) -> str:
    """A source run's errors by kind, or its coverage gaps by reason, in words."""
    return "; ".join(problem_phrase(kind, n, t) for kind, n in sorted(kinds.items()))


def environment() -> Environment:
    env = Environment(loader=PackageLoader("flows.web", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["when"] = _when
    env.filters["size"] = _size
    env.globals.update(segments=segments, snippet=snippet, spans=spans, urlencode=urlencode,
                       problem_words=problem_words)
    return env


class Renderer:
    def __init__(self, topics: TopicLabels, base_path: str = "") -> None:
        self.env = environment()
        self.topics = topics

    def page(self, request: Request, template: str, status: int = 200,
             **context: Any) -> HTMLResponse:
        t = Translator(request_language(request))
        token = csrf_token(request)
        html = self.env.get_template(template).render(
            t=t, request=request, topics=self.topics, csrf=token, **context)
        response = HTMLResponse(html, status_code=status)
        if request.cookies.get("csrf") != token:
            set_csrf_cookie(response, token, request.url.scheme == "https")
        return response
