"""Offline language detection: fastText lite model, letter cues and declared languages."""

from __future__ import annotations

import pytest

from crawlers.language import detect_language, letter_cues

SAMPLES = {
    "ru": "Полиция задержала участников митинга в Алматы. Они требовали отставки акима "
    "города и снижения цен на газ.",
    "en": "Police detained dozens of protesters in Almaty on Sunday as they demanded the "
    "resignation of the mayor.",
    "kk": "Алматыда полиция наразылық акциясына қатысқан бірнеше адамды ұстады. Олар "
    "әкімнің отставкасын талап етті.",
    "ky": "Бишкекте милиция нааразылык акциясынын катышуучуларын кармады. Алар шаар "
    "мэринин кызматтан кетишин талап кылышты.",
    "uz": "Toshkentda politsiya norozilik aksiyasi ishtirokchilarini qoʻlga oldi. Ular shahar "
    "hokimining isteʼfosini talab qilishgan.",
    "tg": "Дар Душанбе милитсия иштирокчиёни аксияи эътирозиро боздошт кард. Онҳо "
    "истеъфои раиси шаҳрро талаб карданд.",
    "tk": "Aşgabatda polisiýa protest aksiýasyna gatnaşanlary tussag etdi. Olar şäher "
    "häkiminiň işden çekilmegini talap etdiler.",
}


@pytest.mark.parametrize("lang", sorted(SAMPLES))
def test_each_language_is_detected(lang: str) -> None:
    assert detect_language(SAMPLES[lang]) == lang


def test_uzbek_cyrillic_is_uzbek() -> None:
    text = (
        "Тошкентда полиция норозилик акцияси иштирокчиларини қўлга олди. Улар шаҳар "
        "ҳокимининг истеъфосини талаб қилишган."
    )
    assert detect_language(text) == "uz"


def test_letter_cues() -> None:
    assert "kk" in letter_cues("Қазақстанда әкімдік ұсынды")
    assert "tg" in letter_cues("Ҷумҳурии Тоҷикистон ва ӯ")
    assert "uz" in letter_cues("Ўзбекистон")
    assert "tk" in letter_cues("Türkmenistanyň paýtagty")
    assert letter_cues("Hello world") == {}


def test_declared_language_is_a_prior() -> None:
    short = "Бишкек"  # too little text: the source's declared language decides
    assert detect_language(short, ["ky", "ru"]) == "ky"
    assert detect_language(short, ["kk"]) == "kk"
    # clear evidence wins over the prior
    assert detect_language(SAMPLES["kk"], ["ru"]) == "kk"
    assert detect_language(SAMPLES["en"], ["ru", "kk"]) == "en"
    # regional tags are reduced to the language
    assert detect_language("12", ["uz-Latn"]) == "uz"


def test_nothing_to_detect_is_und() -> None:
    assert detect_language("") == "und"
    assert detect_language("12:30 — 2024") == "und"
    assert detect_language("   ", ["xx"]) == "und"
