"""Search terms per language: inflected forms of a word meet, other words stay apart
(word lists in tests/data/stemming/, one file per language)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.helpers import ROOT
from warehouse.terms import LANGUAGES, query_terms, term

LISTS = ROOT / "tests" / "data" / "stemming"
# Share of forms that get their line's term, as measured on the lists (ru: пыток, the
# fleeting vowel Snowball keeps; kk: the converb -п; tk: two endings that look like a stem).
AT_LEAST = {"ru": 0.95, "en": 1.0, "kk": 0.95, "ky": 1.0, "uz": 1.0, "tg": 1.0, "tk": 0.9}


def word_lines(path: Path) -> list[list[str]]:
    return [line.split() for line in path.read_text().splitlines()
            if line.strip() and not line.startswith("#")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_inflected_forms_meet_and_words_stay_apart(lang: str) -> None:
    lines = word_lines(LISTS / f"{lang}.txt")
    met = total = 0
    owner: dict[str, int] = {}
    for number, forms in enumerate(lines):
        terms = [term(form, lang) for form in forms]
        main = Counter(terms).most_common(1)[0][0]
        met += terms.count(main)
        total += len(forms)
        for found in set(terms):
            assert owner.setdefault(found, number) == number, (
                f"{forms[0]} and {lines[owner[found]][0]} share the term {found!r}")
    assert len(lines) >= 6
    assert met / total >= AT_LEAST[lang], f"{lang}: {met} of {total} forms meet"


# (language of the article, word in the article, word searched for)
MEET = [
    ("uz", "qiynoqqa", "qiynoq"),
    ("uz", "қийноқ", "qiynoq"),
    ("uz", "qiynoqlar", "қийноқ"),
    ("uz", "қийноққа", "кийнок"),  # Uzbek Cyrillic typed on a Russian keyboard
    ("uz", "boʻlimlarida", "bo'lim"),
    ("tg", "шиканҷаи", "шиканҷа"),
    ("tg", "шиканҷа", "шиканча"),  # ҷ typed as ч
    ("kk", "азаптаған", "азаптау"),
    ("kk", "қызметкерлері", "кызметкер"),  # қ typed as к
    ("ky", "кыйноого", "кыйноо"),
    ("ky", "кыйноолор", "кыйноону"),
    ("ru", "пытками", "пытки"),
    ("ru", "ёлке", "елка"),
    ("en", "tortured", "torture"),
    ("tk", "şäherde", "şäher"),
]
APART = [
    ("en", "torturous", "torture"),
    ("kk", "сату", "сот"),
    ("ky", "кыйын", "кыйноо"),
    ("uz", "qiyin", "qiynoq"),
    ("tg", "шикор", "шиканҷа"),
    ("ru", "пытливый", "пытка"),
]


@pytest.mark.parametrize(("lang", "stored", "searched"), MEET, ids=[m[2] for m in MEET])
def test_a_searched_word_finds_its_forms(lang: str, stored: str, searched: str) -> None:
    assert term(stored, lang) in query_terms(searched)


@pytest.mark.parametrize(("lang", "stored", "searched"), APART, ids=[m[1] for m in APART])
def test_a_searched_word_does_not_find_another(lang: str, stored: str, searched: str) -> None:
    assert term(stored, lang) not in query_terms(searched)
