"""The gazetteer: countries, regions and cities in Russian, English and local spellings."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from flows.tagging.places import COUNTRIES, Gazetteer, find_places

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.from_file(ROOT / "config" / "places.toml")


def test_at_least_ten_places_per_country(gazetteer: Gazetteer) -> None:
    counts = Counter(p.country for p in gazetteer.places)
    assert set(counts) == set(COUNTRIES)
    assert min(counts.values()) >= 10


@pytest.mark.parametrize(
    ("text", "country", "place"),
    [
        ("Митинг прошёл в Бишкеке у здания парламента.", "KG", "Bishkek"),
        ("Бишкектеги митингге жүздөгөн адам катышты.", "KG", "Bishkek"),
        ("Алматыдағы наразылық акциясы.", "KZ", "Almaty"),
        ("Protest in Almaty", "KZ", "Almaty"),
        ("Забастовка нефтяников в Мангистауской области.", "KZ", "Mangystau Region"),
        ("Toshkentda norozilik aksiyasi bo'ldi.", "UZ", "Tashkent"),
        ("Тошкентда норозилик акцияси.", "UZ", "Tashkent"),
        ("Farg‘onada miting.", "UZ", "Fergana"),
        ("Дар Хуҷанд эътироз шуд.", "TJ", "Khujand"),
        ("Ситуация в ГБАО остаётся напряжённой.", "TJ", "Gorno-Badakhshan"),
        ("Жители Ашхабада жалуются на нехватку хлеба.", "TM", "Ashgabat"),
        ("Beýik Türkmenbaşy ýolunda.", "TM", "Turkmenbashi"),
        ("Протесты в Каракалпакстане в 2022 году.", "UZ", "Karakalpakstan"),
        ("На Иссык-Куле открылся сезон.", "KG", "Issyk-Kul Region"),
        ("Беспорядки в Оше.", "KG", "Osh"),
    ],
)
def test_places_are_found_in_inflected_forms(
    gazetteer: Gazetteer, text: str, country: str, place: str
) -> None:
    countries, places = gazetteer.find_places("", text)
    assert country in countries
    assert place in places


def test_countries_and_names_in_order_of_first_mention(gazetteer: Gazetteer) -> None:
    countries, places = gazetteer.find_places(
        "Протест в Жанаозене", "Акции солидарности прошли в Бишкеке и снова в Жанаозене."
    )
    assert countries == ["KZ", "KG"]
    assert places == ["Zhanaozen", "Bishkek"]


@pytest.mark.parametrize(
    "text",
    [
        "Семейный бизнес пострадал.",  # Семей* would be wrong: Semey is matched exactly
        "ош, плов и чай",  # Tajik "ош" (food), lower case
        "Он ошибся. Мы ошибаемся.",
        "Mary said the weather was fine.",  # Turkmen Mary is not matched in English
        "Паника на рынке в Москве.",
    ],
)
def test_no_false_places(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.find_places("", text) == ([], [])


def test_find_places_uses_the_default_gazetteer() -> None:
    assert find_places("Митинг в Ташкенте", "") == (["UZ"], ["Tashkent"])
