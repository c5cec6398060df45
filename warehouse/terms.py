"""Search terms: every word of a text as the search index holds it, per language.

A word becomes one term in the language of the article it is in:

- its *form* (flows/tagging/normalise.py): casefolded, ё→е, apostrophes unified, Uzbek
  Cyrillic transliterated to Latin, Tajik ҷ ҳ қ ғ ӣ ӯ folded to ч х к г и у;
- the letters a Russian keyboard lacks folded to the ones typed instead (Kazakh қ→к ң→н
  ө→о ұ ү→у і→и ә→а һ→х ғ→г; Kyrgyz ң ө ү), Uzbek q→k and x→h (so қийноқ typed as кийнок
  still meets qiynoq), Turkmen letters without their marks;
- then its *stem*: Snowball for Russian and English (maintained stemmers), and for Kazakh,
  Kyrgyz, Uzbek, Tajik and Turkmen the longest known inflection suffix stripped, again and
  again, while a stem of at least MIN_STEM letters with a vowel is left.

A word written in the other script of its article (a Latin name in a Russian text) is taken
as Russian (Cyrillic) or English (Latin). A query word has no language: `query_terms` gives
its term in every language that writes its script, and the search looks for any of them.
tests/data/stemming/*.txt are the word lists that measure the stripping.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache

import snowballstemmer

from flows.tagging.normalise import WORD_RE, Analyzer

LANGUAGES = ("ru", "en", "kk", "ky", "uz", "tg", "tk")
CYRILLIC_LANGUAGES = ("ru", "kk", "ky", "uz", "tg")  # those whose words a query may be in
LATIN_LANGUAGES = ("en", "uz", "tk")
MIN_STEM = 3
_MAX_STRIPS = 4

_KEYBOARD = {
    "kk": str.maketrans("қғңөұүһіә", "кгноуухиа"),
    "ky": str.maketrans("ңөү", "ноу"),
    "uz": str.maketrans("qx", "kh"),
}
_VOWELS = frozenset("аеёиоуыэюяaeiouy")

# Suffixes in folded spelling. Inflection only (case, number, possession, person, tense,
# participles): derivational ones (-лық, -chi) make other words and stay.
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "kk": (
        "лар", "лер", "дар", "дер", "тар", "тер",
        "нын", "нин", "дын", "дин", "тын", "тин",
        "га", "ге", "ка", "ке", "на", "не",
        "ны", "ни", "ды", "ди", "ты", "ти",
        "да", "де", "та", "те", "нда", "нде",
        "дан", "ден", "тан", "тен", "нан", "нен",
        "мен", "бен", "пен",
        "ым", "им", "ын", "ин", "ымыз", "имиз", "ыныз", "иниз", "сы", "си", "ы", "и",
        "лары", "лери", "дары", "дери", "тары", "тери",
        "ган", "ген", "кан", "кен", "йды", "йди", "ушы", "уши", "у",
        "атын", "етин", "йтын", "йтин", "ып", "ип",
    ),
    "ky": (
        "лар", "лер", "лор", "дар", "дер", "дор", "тар", "тер", "тор",
        "нын", "нин", "нун", "дын", "дин", "дун", "тын", "тин", "тун",
        "га", "ге", "го", "ка", "ке", "ко",
        "ны", "ни", "ну", "ды", "ди", "ду", "ты", "ти", "ту",
        "да", "де", "до", "та", "те", "то",
        "дан", "ден", "дон", "тан", "тен", "тон", "нан", "нен", "нон",
        "сы", "си", "су", "ы", "и", "у", "ун", "ын", "ин",
        "ган", "ген", "гон", "кан", "кен", "кон",
        "ат", "ет", "от", "йт", "шкан", "шты",
    ),
    "uz": (
        "lar", "larni", "larga", "larda", "lardan", "larning",
        "ning", "ni", "ga", "ka", "da", "ta", "dan", "tan",
        "im", "ing", "i", "si", "imiz", "ingiz", "lari",
        "gan", "kan", "di", "ti", "moqda", "mokda", "mok", "ib", "yapti", "adi", "aydi",
        "dagi", "ini", "iga", "ida", "idan", "ining", "sini", "siga", "sida",
    ),
    "tg": (
        "хо", "хои", "хоро", "ро", "и", "ии", "он", "ён", "гон", "ам", "ат", "аш", "ямон",
        "амон", "атон", "ашон", "ем", "ед", "анд", "ад", "ид", "аанд", "еро",
    ),
    "tk": (
        "lar", "ler", "nyn", "nin", "yn", "in", "un",
        "a", "e", "na", "ne",
        "da", "de", "ta", "te", "nda", "nde", "dan", "den", "tan", "ten", "ndan", "nden",
        "ny", "ni", "y", "i", "sy", "si", "ym", "im", "myz", "miz",
        "dy", "di", "dyr", "dir", "an", "en", "yar", "yar", "mak", "mek",
    ),
}  # fmt: skip
# Per language: (length, suffixes of that length), longest first: one set lookup a length.
_BY_LENGTH = {lang: [(n, frozenset(x for x in s if len(x) == n))
                     for n in sorted({len(x) for x in s}, reverse=True)]
              for lang, s in _SUFFIXES.items()}


def _strip_marks(word: str) -> str:
    """Turkmen ä ç ň ö ş ü ý ž as the plain letters typed without the marks."""
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _strippable(stem: str) -> bool:
    return len(stem) >= MIN_STEM and any(ch in _VOWELS for ch in stem)


def strip_suffixes(word: str, lang: str) -> str:
    """`word` (folded) without its inflection suffixes, longest first, a few times
    over (case, then possession, then number: the endings come in that order)."""
    by_length = _BY_LENGTH[lang]
    for strip in range(_MAX_STRIPS):
        for length, suffixes in by_length:
            if length == 1 and strip:
                continue  # a one-letter ending only at the very end: else stems erode
            if word[-length:] in suffixes and _strippable(word[:-length]):
                word = word[:-length]
                break
        else:
            break
    if lang == "tk" and word[-1] in _VOWELS and _strippable(word[:-1]):
        word = word[:-1]  # a dative lengthens a stem's last vowel: one stem with or without it
    return word


class _English:
    """Snowball English, except that adjectives in -ous keep their ending: Snowball takes
    torturous to the stem of torture, and a search for torture must not find it."""

    def __init__(self) -> None:
        self._stem = snowballstemmer.stemmer("english").stemWord

    def __call__(self, form: str) -> str:
        for ending in ("ously", "ous"):
            if form.endswith(ending) and len(form) > len(ending) + 2:
                return self._stem(form[: -len(ending)]) + "ous"
        return self._stem(form)


_RUSSIAN = snowballstemmer.stemmer("russian").stemWord
_ENGLISH = _English()
_FORMS = {lang: Analyzer(lang, kazakh_skeleton=False) for lang in LANGUAGES}


def _is_latin(form: str) -> bool:
    return not any("\u0400" <= ch <= "\u04ff" for ch in form)


def _stemmed_by_snowball(form: str, lang: str | None) -> bool:
    """Russian and English words, and words in the other script of their article."""
    latin = _is_latin(form)
    return lang in (None, "ru", "en") or (lang in ("kk", "ky", "tg") and latin) or (
        lang == "tk" and not latin)


def fold(word: str, lang: str | None) -> str:
    """A word's form in `lang` before stemming: what a prefix query compares."""
    lang = lang if lang in _FORMS else None
    form = _FORMS[lang or "ru"].form(word)
    if _stemmed_by_snowball(form, lang):
        return form
    if lang == "tk":
        form = _strip_marks(form)
    return form.translate(_KEYBOARD.get(lang or "", {}))


@lru_cache(maxsize=500_000)
def term(word: str, lang: str | None) -> str:
    """The term of one word as written in an article in `lang` (None: by its script)."""
    lang = lang if lang in _FORMS else None
    form = fold(word, lang)
    if _stemmed_by_snowball(form, lang):
        return _ENGLISH(form) if _is_latin(form) else _RUSSIAN(form)
    return strip_suffixes(form, lang or "")


def words(text: str | None) -> Iterator[tuple[str, int, int]]:
    """The words of `text` with their start and end offsets."""
    for m in WORD_RE.finditer(text or ""):
        yield m.group(), m.start(), m.end()


_SEEN: dict[str | None, dict[str, str]] = {}  # word -> term, per language: words repeat


def forget_words() -> None:
    """Empty the word caches (a benchmark times a night as a fresh process runs it)."""
    _SEEN.clear()
    term.cache_clear()


def text_terms(text: str | None, lang: str | None) -> list[str]:
    """The terms of `text`, in order (a term's position is its index)."""
    seen = _SEEN.setdefault(lang if lang in _FORMS else None, {})
    if len(seen) > 2_000_000:  # a bound on memory; the common words come back at once
        seen.clear()
    found = WORD_RE.findall(text or "")
    out = [seen.get(w) for w in found]
    if None in out:
        for i, got in enumerate(out):
            if got is None:
                out[i] = seen[found[i]] = term(found[i], lang)
    return out  # type: ignore[return-value]


def query_terms(word: str, languages: Iterable[str] | None = None) -> list[str]:
    """The terms `word` has in each language that writes its script (or in `languages`),
    without repeats: a query word matches an article in any of them."""
    script = LATIN_LANGUAGES if _is_latin(_FORMS["ru"].form(word)) else CYRILLIC_LANGUAGES
    wanted = [lang for lang in script if languages is None or lang in languages]
    return list(dict.fromkeys(term(word, lang) for lang in wanted or script))
