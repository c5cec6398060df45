"""The gazetteer: countries, regions and cities in Russian, English and local spellings."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from flows.tagging.places import COUNTRIES, Gazetteer, find_places
from tests.helpers import ROOT


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


# --- places stored per article ----------------------------------------------------------


def _extracted(article_id: str, title: str, text: str) -> dict:
    return {"article_id": article_id, "url": f"https://kloop.kg/{article_id}/",
            "canonical_url": None, "source_id": "kloop", "capture_id": f"c-{article_id}",
            "title": title, "text": text, "author": None, "published_at": None,
            "language": "ru", "description": None, "encoding": "utf-8", "text_sha1": article_id,
            "extracted_at": "2026-11-01T10:00:00+00:00"}


def test_tag_stage_stages_places_and_the_load_stores_them(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from crawlers.staging import read_jsonl, write_jsonl
    from flows.tagging.staged import tag_source
    from flows.tagging.tagger import Tagger
    from warehouse.connection import open_warehouse
    from warehouse.load import SourceRun, load_run
    from warehouse.runs import start_run, upsert_sources

    source_dir = tmp_path / "runs" / "r" / "kloop"
    source_dir.mkdir(parents=True)
    write_jsonl(source_dir / "extracted.jsonl", [
        _extracted("a1", "Митинг в Бишкеке", "Протестующие из Оша и Алматы собрались у здания."),
        _extracted("a2", "Курс валют", "Доллар подорожал."),
    ])
    tag_source(source_dir, Tagger.from_file(ROOT / "config" / "topics.toml"))
    staged = {r["article_id"]: r for r in read_jsonl(source_dir / "places.jsonl")}
    assert staged["a1"]["countries"] == ["KG", "KZ"]
    assert staged["a1"]["places"] == ["Bishkek", "Osh", "Almaty"]
    assert staged["a2"]["countries"] == staged["a2"]["places"] == []

    with open_warehouse(tmp_path) as con:
        upsert_sources(con, [{"source_id": "kloop", "name": "Kloop", "family": "wordpress",
                              "countries": ["KG"], "languages": ["ru"],
                              "base_url": "https://kloop.kg/"}])
        start_run(con, "r", datetime.now(UTC), "replay", None, "v")
        load_run(con, "r", tmp_path / "runs" / "r",
                 [SourceRun("kloop", "ok", None, 2, 2, 0, 0, 1, 1.0)])
        load_run(con, "r", tmp_path / "runs" / "r", [])  # a resumed load adds nothing
        rows = con.execute("SELECT article_id, countries, places, run_id FROM article_places "
                           "ORDER BY article_id").fetchall()
    assert rows == [("a1", ["KG", "KZ"], ["Bishkek", "Osh", "Almaty"], "r"), ("a2", [], [], "r")]
