"""Token normalisation: casefold, ё, apostrophes, Uzbek Cyrillic→Latin, stems, offsets."""

from __future__ import annotations

import pytest

from flows.tagging.normalise import Analyzer, base_form, normalise, tokenise, uz_cyrillic_to_latin


def test_yo_becomes_ye_and_case_folds() -> None:
    assert base_form("ЁЛКА") == "елка"
    assert normalise("Ёжиков", "ru") == normalise("ежиков", "ru")


@pytest.mark.parametrize("apostrophe", ["ʻ", "’", "'", "`", "‘", "ʼ"])
def test_uzbek_apostrophe_variants_are_one(apostrophe: str) -> None:
    # Dropped altogether, so that a text written without them (qolga) matches too.
    assert Analyzer("uz").form(f"Qo{apostrophe}lga") == Analyzer("uz").form("qolga") == "qolga"
    assert Analyzer("uz").form(f"G{apostrophe}ayrat") == "gayrat"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Қўлга", "qo'lga"),
        ("Тошкент", "toshkent"),
        ("ЕТТИ", "yetti"),
        ("милиция", "militsiya"),
        ("эълон", "e'lon"),
        ("ғайриинсоний", "g'ayriinsoniy"),
        ("Ҳуқуқ", "huquq"),
        ("шаҳар", "shahar"),
        ("қийноққа", "qiynoqqa"),
    ],
)
def test_uzbek_cyrillic_is_transliterated(cyrillic: str, latin: str) -> None:
    assert uz_cyrillic_to_latin(cyrillic.casefold()) == latin
    assert Analyzer("uz").form(cyrillic) == latin.replace("'", "")


def test_transliteration_only_for_uzbek() -> None:
    assert Analyzer("ru").form("милиция") == "милиция"
    assert uz_cyrillic_to_latin("polis") == "polis"


@pytest.mark.parametrize(("word", "lang"), [("Наразылық", "ky"), ("Өкмөт", "ky")])
def test_kyrgyz_letters_are_kept(word: str, lang: str) -> None:
    assert normalise(word, lang) == word.lower()


@pytest.mark.parametrize(("cyrillic", "latin"), [
    ("ұсталды", "ūstaldy"),           # 2021 alphabet
    ("полиция", "polıtsııa"),         # 2018 alphabet
    ("полиция", "polisiia"),          # transliteration
    ("наразылыққа", "narazylyqqa"),
    ("алаңға", "alaŋǧa"),
    ("шықты", "şyqty"),
    ("учаскелік", "ýchaskelik"),
    ("жиналған", "jinalğan"),
])  # fmt: skip
def test_kazakh_cyrillic_and_latin_spellings_meet(cyrillic: str, latin: str) -> None:
    assert normalise(cyrillic, "kk") == normalise(latin, "kk")


@pytest.mark.parametrize(("cyrillic", "arabic"), [
    ("наразылыққа", "نارازىلىققا"),
    ("митингке", "ميتينگكە"),
    ("тұрғындар", "تۇرعىندار"),
    ("полиция", "پوليتسيا"),          # и before я is one letter there
    ("ұсталды", "ۇستالدى"),
    ("түрме", "ءتۇرمە"),              # the hamza of front vowels is dropped
    ("талап етуде", "تالاپ ەتۋدە"),
])  # fmt: skip
def test_kazakh_arabic_script_meets_cyrillic(cyrillic: str, arabic: str) -> None:
    forms = [[normalise(w, "kk") for w in text.split()] for text in (cyrillic, arabic)]
    assert forms[0] == forms[1]


def test_kazakh_skeleton_keeps_different_words_apart() -> None:
    words = ["ұстаз", "ұстал", "үстел", "сот", "сат", "қамау", "қамқор"]
    assert len({normalise(w, "kk") for w in words}) == len(words)
    assert not normalise("идея", "kk").startswith(normalise("ІІД", "kk"))  # ІІД* is no ид*


def test_kazakh_search_terms_stay_cyrillic() -> None:
    assert Analyzer("kk", kazakh_skeleton=False).form("Наразылық") == "наразылық"


def test_tajik_letters_fold_to_their_russian_keyboard_spelling() -> None:
    assert normalise("Шиканҷа", "tg") == normalise("шиканча", "tg") == "шиканча"
    assert normalise("ҳуқуқи", "tg") == "хукуки"
    assert normalise("Шиканҷа", "ky") == "шиканҷа"  # only Tajik folds


def test_russian_and_english_are_stemmed() -> None:
    assert normalise("пытками", "ru") == normalise("пытки", "ru") == "пытк"
    assert normalise("митингующих", "ru") == normalise("митинг", "ru")
    assert normalise("protesters", "en") == normalise("protest", "en")
    assert normalise("пытками", "ky") == "пытками"  # no stemmer for Kyrgyz


def test_mixed_script_lookalikes_are_folded() -> None:
    latin_o = "пoлиция"  # Latin "o" inside a Cyrillic word
    assert latin_o != "полиция"
    assert normalise(latin_o, "ru") == normalise("полиция", "ru")


def test_soft_hyphen_and_decomposed_letters() -> None:
    assert base_form("поли\u00adция") == "полиция"
    assert base_form("и\u0306") == "й"


def test_tokens_keep_offsets_and_sentences() -> None:
    text = "Полиция задержала  активистов. Пытки в СИЗО!\nQoʻlga olindi"
    tokens = list(tokenise(text, "uz"))
    for token in tokens:
        assert text[token.start : token.end] == token.surface
    assert [t.surface for t in tokens][:3] == ["Полиция", "задержала", "активистов"]
    assert tokens[0].sentence == tokens[2].sentence
    assert tokens[3].sentence > tokens[2].sentence
    assert tokens[-1].sentence > tokens[-3].sentence
    assert tokens[-2].form == "qolga"
