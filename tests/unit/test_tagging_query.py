"""Query operators and topic settings, on small topics files written by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.tagging.tagger import Tagger
from flows.tagging.topics import TopicsConfigError


def tagger(
    query: str, lang: str = "ru", settings: str = "min_score = 1", extra: str = ""
) -> Tagger:
    head = f"[topics.t]\nlabel = 'T'\n{settings}\n{extra}\n"
    return Tagger.from_text(f"{head}[topics.t.queries]\n{lang} = '''{query}'''\n")


def tagged(t: Tagger, text: str, title: str = "", lang: str | None = "ru") -> bool:
    return t.tag(title, text, lang).topics == ["t"]


def test_and() -> None:
    t = tagger("полиция AND задержание")
    assert tagged(t, "Полиция объявила о задержании.")
    assert not tagged(t, "Полиция объявила о награждении.")


def test_or() -> None:
    t = tagger("митинг OR пикет")
    assert tagged(t, "Прошёл одиночный пикет.")
    assert tagged(t, "Прошли митинги.")
    assert not tagged(t, "Прошёл концерт.")


def test_not() -> None:
    t = tagger("протест AND NOT матч")
    assert tagged(t, "Протест у здания акимата.")
    assert not tagged(t, "Клуб подал протест на итоги матча.")


def test_quoted_phrase_is_ordered_and_adjacent() -> None:
    t = tagger('"акция протеста"')
    assert tagged(t, "Прошла акция протеста.")
    assert tagged(t, "Акции протеста прошли в трёх городах.")  # stems: inflection allowed
    assert not tagged(t, "Протеста не было, была акция.")


def test_prefix_wildcard() -> None:
    t = tagger("пытк*")
    assert tagged(t, "Его подвергли пыткам.")
    assert not tagged(t, "Он пытался уйти.")


def test_wildcard_inside_phrase() -> None:
    t = tagger('"нот* протест*"')
    assert tagged(t, "МИД вручил ноту протеста.")


def test_proximity() -> None:
    t = tagger('"полиция задержала"~2')
    assert tagged(t, "Вчера полиция в Алматы задержала активиста.")
    assert tagged(t, "Задержала активиста полиция.")  # any order
    assert not tagged(t, "Полиция, по словам очевидцев, вечером в пятницу задержала его.")
    assert not tagged(t, "Пришла полиция. Задержала всех.")  # not across sentences


def test_title_field() -> None:
    t = tagger("title:митинг")
    assert tagged(t, "Текст без слова.", title="Митинг в Бишкеке")
    assert not tagged(t, "В Бишкеке прошёл митинг.", title="Новости дня")


def test_text_field_and_grouped_field() -> None:
    t = tagger("text:(митинг OR пикет)")
    assert tagged(t, "Прошёл пикет.", title="Новости")
    assert not tagged(t, "Новости.", title="Пикет у посольства")


def test_juxtaposed_terms_are_or_and_plus_minus_work() -> None:
    assert tagged(tagger("митинг пикет"), "Прошёл пикет.")
    t = tagger("+митинг -концерт шествие")
    assert tagged(t, "Прошёл митинг.")
    assert not tagged(t, "Прошёл митинг и концерт.")
    assert not tagged(t, "Прошло шествие.")


@pytest.mark.parametrize(
    "query",
    ["полиц~", "[a TO b]", "/пол.*/", "по*иция", "пол?ция", "author:полиция", "полиция^2"],
)
def test_unsupported_syntax_is_a_config_error(query: str) -> None:
    with pytest.raises(TopicsConfigError):
        tagger(query)


def test_parse_error_names_topic_and_language() -> None:
    with pytest.raises(TopicsConfigError, match=r"t query \(ru\)"):
        tagger("(митинг OR")


def test_unknown_language_and_key_are_rejected() -> None:
    with pytest.raises(TopicsConfigError):
        tagger("митинг", lang="fr")
    with pytest.raises(TopicsConfigError):
        tagger("митинг", settings="min_hits = 2")


def test_shared_query_applies_to_its_languages_only() -> None:
    extra = "[[topics.t.shared]]\nlanguages = ['kk', 'ky']\nquery = 'шеру*'\n"
    t = tagger("митинг", extra=extra)
    assert tagged(t, "Шеруге қатысты.", lang="kk")
    assert tagged(t, "Шеруге катышты.", lang="ky")
    assert not tagged(t, "Шеруге.", lang="ru")


def test_min_score_counts_sentences_and_title_weight() -> None:
    t = tagger("полиц*", settings="min_score = 2\ntitle_weight = 2")
    assert not tagged(t, "Полиция и полицейские приехали.")  # one sentence
    assert tagged(t, "Полиция приехала. Полицейские уехали.")
    assert tagged(t, "Ничего.", title="Полиция")
    result = t.tag("", "Полиция приехала. Полицейские уехали. Полиция вернулась.", "ru")
    assert result.scores["t"] == 3.0


def test_opening_field_reads_the_title_and_the_first_three_sentences_with_words() -> None:
    t = tagger("opening:митинг*")
    assert tagged(t, "Вчера был митинг.")
    assert tagged(t, "Главная\n\n\nНовости\n\nВчера был митинг.")  # blank lines: no sentences
    assert not tagged(t, "Главная. Новости. Спорт. Вчера был митинг.")  # the fourth sentence
    assert tagged(t, "Главная. Новости. Спорт. Вчера был митинг.", title="Митинг в Бишкеке")
    quiet = "Полиция. Было тепло. Было ясно. Праздник."
    assert tagged(tagger("полиц* AND NOT opening:праздник*"), quiet)


def test_a_story_opening_on_a_stricter_kind_needs_the_stricter_score() -> None:
    kinds = "[kinds.accident]\nru = 'opening:(ДТП OR авари*)'\n"
    settings = "min_score = 2\nshort_text = 600\nstricter = ['accident']\nstricter_min_score = 3"
    t = Tagger.from_text(f"{kinds}[topics.t]\n{settings}\n[topics.t.queries]\nru = 'полиц*'\n")
    crash = "В Алматы произошло ДТП. Полиция приехала. Полиция оформила протокол."
    assert not tagged(t, crash)  # two police sentences: not enough after a crash opening
    assert tagged(t, crash + " Полиция задержала водителя.")  # three are
    assert not tagged(t, "Полиция сообщила об аварии на трассе.")  # no brief rule either
    assert tagged(t, "Полиция провела рейд. Полиция задержала троих. Было тепло. Потом ДТП.")
    assert not tagged(t, "Полиция приехала. Полиция уехала.", title="Авария на трассе")
    # the opening is the first three sentences with words, blank lines between them or not
    assert not tagged(t, "Полиция сообщила.\n\nНовости.\n\nНа трассе ДТП. Полиция на месте.")


def test_a_stricter_kind_must_be_a_kinds_table() -> None:
    with pytest.raises(TopicsConfigError, match=r"topics.t.stricter: no \[kinds.crash\] table"):
        tagger("полиц*", settings="stricter = ['crash']")


def test_ignore_phrases_do_not_count() -> None:
    extra = "[topics.t.ignore]\nru = '\"по данным полиц*\"'\n"
    t = tagger("полиц*", extra=extra)
    assert not tagged(t, "По данным полиции, водитель погиб.")
    assert tagged(t, "Полиция задержала водителя.")


def test_ignored_words_still_serve_as_context() -> None:
    extra = "[topics.t.ignore]\nru = '\"по данным полиц*\"'\n"
    t = tagger("задержан* AND (полиц*)^0", extra=extra)
    assert tagged(t, "По данным полиции, задержаны трое.")  # the police are still there
    assert not tagged(t, "Задержаны трое.")
    t = tagger("полиц* AND задержан*", extra=extra)
    assert not tagged(t, "По данным полиции, задержаны трое.")  # a scoring term stays hidden


def test_unknown_or_regional_language_codes() -> None:
    t = tagger("митинг")
    assert tagged(t, "Прошёл митинг.", lang="ru-RU")
    assert tagged(t, "Прошёл митинг.", lang=None)  # every language's queries
    assert tagged(t, "Прошёл митинг.", lang="und")
    assert not tagged(t, "Прошёл митинг.", lang="kk")  # no kk query in this file


def test_version_is_hash_of_file(tmp_path: Path) -> None:
    path = tmp_path / "topics.toml"
    path.write_text("[topics.t]\n[topics.t.queries]\nru = 'митинг'\n", encoding="utf-8")
    first = Tagger.from_file(path).version
    assert first == Tagger.from_file(path).version and len(first) == 12
    path.write_text("[topics.t]\n[topics.t.queries]\nru = 'пикет'\n", encoding="utf-8")
    assert Tagger.from_file(path).version != first
