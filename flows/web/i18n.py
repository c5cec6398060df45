"""The workspace's labels in English and Russian, from one catalogue (messages.toml).

The interface language is the `ui` cookie (set by the switch in the page header), else the
browser's Accept-Language, else English. Topic labels come from topics.toml as written."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from starlette.requests import Request

UI_LANGUAGES = ("en", "ru")
UI_COOKIE = "ui"


class MissingMessage(KeyError):
    pass


@cache
def catalogue() -> dict[str, dict[str, str]]:
    text = resources.files("flows.web").joinpath("messages.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


class Translator:
    """`t("stories.count", total=3)`: the label of a key in one language, filled in."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in UI_LANGUAGES else UI_LANGUAGES[0]

    def __call__(self, key: str, **values: object) -> str:
        entry = catalogue().get(key)
        if entry is None:
            raise MissingMessage(f"no message {key!r} in flows/web/messages.toml")
        text = entry[self.lang]
        return text.format(**values) if values else text

    def maybe(self, key: str, fallback: str) -> str:
        """The label of `key` if the catalogue has one (a country, a language), else
        `fallback` as given."""
        entry = catalogue().get(key)
        return entry[self.lang] if entry else fallback

    @property
    def other(self) -> str:
        return next(lang for lang in UI_LANGUAGES if lang != self.lang)


def request_language(request: Request) -> str:
    chosen = request.cookies.get(UI_COOKIE, "")
    if chosen in UI_LANGUAGES:
        return chosen
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in UI_LANGUAGES:
            return code
    return UI_LANGUAGES[0]
