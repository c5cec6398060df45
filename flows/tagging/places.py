"""Places of the five countries mentioned in an article, from the places.toml gazetteer."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crawlers.tomlconfig import ConfigError, read_toml
from flows.tagging.normalise import TOKEN_RE, WORD_PATTERN, base_form

COUNTRIES: tuple[str, ...] = ("KZ", "KG", "TJ", "UZ", "TM")
# Names a person may type for a country (any case): English, Russian, the local language.
COUNTRY_NAMES: dict[str, tuple[str, ...]] = {
    "KZ": ("Kazakhstan", "Казахстан", "Қазақстан", "Qazaqstan"),
    "KG": ("Kyrgyzstan", "Kyrgyz Republic", "Kirghizia", "Кыргызстан", "Киргизия",
           "Киргизстан", "Kirgizia"),
    "TJ": ("Tajikistan", "Таджикистан", "Тоҷикистон", "Tojikiston"),
    "UZ": ("Uzbekistan", "Узбекистан", "Ўзбекистон", "O'zbekiston", "Ozbekiston"),
    "TM": ("Turkmenistan", "Туркменистан", "Туркмения", "Türkmenistan"),
}
_APOSTROPHES = str.maketrans({c: "'" for c in "ʻʼ‘’`"})


def country_code(value: str) -> str | None:
    """The code (KZ KG TJ UZ TM) of a country code or name in any case; None if unknown."""
    wanted = value.strip().translate(_APOSTROPHES).casefold()
    for code, names in COUNTRY_NAMES.items():
        if wanted == code.casefold() or wanted in (n.casefold() for n in names):
            return code
    return None
_FORM_CACHE_LIMIT = 100_000
MAX_SUFFIX = 8  # letters a stem spelling (Бишкек*) may be followed by: Бишкектеги
_NAME_WORD = re.compile(f"({WORD_PATTERN})(\\*?)")


class PlacesConfigError(ConfigError):
    """places.toml holds an entry that cannot be used."""


@dataclass(frozen=True)
class Place:
    name: str
    country: str


@dataclass(frozen=True)
class _Pattern:
    place: int
    words: tuple[tuple[str, bool], ...]  # (form, is stem)


def _word_matches(token: str, form: str, stem: bool) -> bool:
    if stem:
        return token.startswith(form) and len(token) - len(form) <= MAX_SUFFIX
    return token == form


class Gazetteer:
    """Spelling patterns of every place, looked up by the first word of each pattern."""

    def __init__(self, places: list[Place], spellings: list[list[str]]) -> None:
        self.places = places
        self._exact: dict[str, list[_Pattern]] = {}
        self._stems: dict[str, list[_Pattern]] = {}
        for i, names in enumerate(spellings):
            for spelling in names:
                words = tuple(
                    (base_form(w), star == "*") for w, star in _NAME_WORD.findall(spelling)
                )
                if not words:
                    raise PlacesConfigError(f"{places[i].name}: empty spelling {spelling!r}")
                table = self._stems if words[0][1] else self._exact
                table.setdefault(words[0][0], []).append(_Pattern(i, words))
        self._lengths = sorted({len(form) for form in self._stems})
        self._forms: dict[str, str] = {}  # surface -> base form, of capitalised words

    @classmethod
    def from_file(cls, path: Path) -> Gazetteer:
        data = read_toml(Path(path), PlacesConfigError)
        places: list[Place] = []
        spellings: list[list[str]] = []
        for entry in data.get("place", []):
            name, country, names = entry.get("name"), entry.get("country"), entry.get("names")
            if country not in COUNTRIES or not isinstance(name, str) or not names:
                raise PlacesConfigError(f"bad place entry in {path}: {entry!r}")
            places.append(Place(name, country))
            spellings.append([str(n) for n in names])
        try:
            return cls(places, spellings)
        except PlacesConfigError as error:
            raise PlacesConfigError(f"{path}: {error}") from None

    def _candidates(self, form: str) -> Iterator[_Pattern]:
        yield from self._exact.get(form, ())
        for n in self._lengths:
            if n > len(form):
                break
            yield from self._stems.get(form[:n], ())

    def find(self, text: str) -> list[int]:
        """Indices of the places mentioned in ``text``, in order of first mention."""
        tokens = [t for t in TOKEN_RE.findall(text) if t]
        found: dict[int, None] = {}
        for i, token in enumerate(tokens):
            if not token[0].isupper():  # names start with a capital: most words end here
                continue
            for pattern in self._candidates(self._form(token)):
                words = pattern.words
                if i + len(words) <= len(tokens) and all(
                    _word_matches(self._form(tokens[i + k]), f, stem)
                    for k, (f, stem) in enumerate(words)
                ):
                    found.setdefault(pattern.place, None)
        return list(found)

    def _form(self, token: str) -> str:
        form = self._forms.get(token)
        if form is None:
            if len(self._forms) >= _FORM_CACHE_LIMIT:
                self._forms.clear()
            form = self._forms[token] = base_form(token)
        return form

    def find_places(self, title: str, text: str) -> tuple[list[str], list[str]]:
        """(country codes, English place names) mentioned in the title or text."""
        indices = list(dict.fromkeys(self.find(title or "") + self.find(text or "")))
        names = [self.places[i].name for i in indices]
        countries = list(dict.fromkeys(self.places[i].country for i in indices))
        return countries, names


def default_places_path() -> Path:
    """``$STEPPEWATCH_CONFIG/places.toml``, else ``./config``, else the checkout's config/."""
    env = os.environ.get("STEPPEWATCH_CONFIG")
    if env:
        return Path(env) / "places.toml"
    local = Path("config") / "places.toml"
    if local.exists():
        return local
    return Path(__file__).resolve().parents[2] / "config" / "places.toml"


@functools.lru_cache(maxsize=4)
def load_gazetteer(path: Path) -> Gazetteer:
    return Gazetteer.from_file(path)


def find_places(
    title: str, text: str, gazetteer: Gazetteer | None = None
) -> tuple[list[str], list[str]]:
    """(country codes, place names in English) mentioned in an article."""
    return (gazetteer or load_gazetteer(default_places_path())).find_places(title, text)
