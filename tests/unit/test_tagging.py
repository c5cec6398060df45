"""The project's topics.toml on small articles: inflection, hard negatives (LABELS.md), offsets."""

from __future__ import annotations

import pytest

from flows.tagging.tagger import Tagger
from tests.helpers import ROOT


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    # The queries' rules; the borderline model has its own tests (test_tagging_borderline.py).
    return Tagger.from_file(ROOT / "config" / "topics.toml", borderline=False)


def topics(tagger: Tagger, title: str, text: str, lang: str | None) -> list[str]:
    return tagger.tag(title, text, lang).topics


def test_topics_file_defines_the_three_topics(tagger: Tagger) -> None:
    assert tagger.topic_ids == ["police", "protest", "torture"]
    assert all(t.label and t.description for t in tagger.topics)
    assert all(set(t.queries) == {"ru", "en", "kk", "ky", "uz", "tg", "tk"} for t in tagger.topics)


# --- inflected forms -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "text", "topic"),
    [
        ("ru", "Правозащитники: в ИВС задержанного подвергли пыткам",
         "Задержанного избивали и пытали электрошокером. Адвокат говорит, что признание было "
         "получено пытками. Прокуратура начала проверку.", "torture"),
        ("ru", "В Бишкеке разогнали акцию",
         "Полиция задержала около двадцати митингующих у здания парламента. Часть митингующих "
         "отпустили вечером.", "protest"),
        ("ru", "Суд по делу о превышении полномочий",
         "Двое задержанных заявили, что были избиты полицейскими. Дело в отношении сотрудников "
         "начато после жалобы. Полицейскими, по версии следствия, руководил начальник отдела.",
         "police"),
        ("kk", "Жаңаөзенде наразылық акциясы өтті",
         "Мұнайшылар жалақыны көтеруді талап етті. Наразылық екі күнге созылды.", "protest"),
        ("ky", "Таласта нааразылык акциясы болду",
         "Тургундар жол курулушуна каршы чыгышты. Нааразылык акциясы тынч өттү.", "protest"),
        ("uz", "Mahbus qiynoqqa solinganini aytdi",
         "Mahbus tergov izolyatorida qiynoqqa solinganini aytdi. Huquq himoyachilari tekshiruv "
         "talab qilmoqda.", "torture"),
        ("tg", "Шиканҷа дар боздоштгоҳ",
         "Маҳбус гуфт, ки дар боздоштгоҳ ӯро шиканҷа доданд. Прокуратура тафтишот оғоз кард.",
         "torture"),
    ],
)  # fmt: skip
def test_inflected_forms_are_found(
    tagger: Tagger, lang: str, title: str, text: str, topic: str
) -> None:
    assert topic in topics(tagger, title, text, lang)


def test_uzbek_cyrillic_article_matches_latin_query(tagger: Tagger) -> None:
    title = "Маҳбус қийноққа солинганини айтди"
    text = "Маҳбус тергов изоляторида қийноққа солинганини айтди. Прокуратура текширув бошлади."
    assert topics(tagger, title, text, "uz") == ["torture"]


def test_article_without_language_uses_every_language(tagger: Tagger) -> None:
    assert "torture" in topics(tagger, "Шиканҷа дар боздоштгоҳ", "Маҳбусро шиканҷа доданд.", None)
    assert "protest" in topics(tagger, "Protesters rally in Almaty", "", None)


# --- hard negatives ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "title", "text", "topic"),
    [
        ("ru", "На трассе Алматы — Бишкек столкнулись два автомобиля",
         "По данным полиции, водитель легковушки выехал на встречную полосу. Пострадавших "
         "доставили в больницу. Движение восстановлено.", "police"),
        ("en", "Two killed in highway crash near Shymkent",
         "A truck collided with a minibus on Monday. According to police, the truck driver "
         "fell asleep. Police said the injured were taken to hospital.", "police"),
        ("ru", "«Кайрат» подал протест на результат матча",
         "Клуб подал протест на решение судьи. Протест будет рассмотрен на заседании КДК "
         "федерации футбола.", "protest"),
        ("en", "Astana lodges protest over referee decision",
         "The club lodged a protest with the league after the match. The protest will be "
         "reviewed by the disciplinary committee.", "protest"),
        ("ru", "МИД вручил ноту протеста послу",
         "Министерство иностранных дел вручило ноту протеста временному поверенному. Протест "
         "связан с заявлениями депутата.", "protest"),
        ("ru", "Акция! Скидки до 50% на бытовую технику",
         "Акция продлится до конца месяца. Участвуйте в акции и получите подарок.", "protest"),
        ("ru", "Благотворительная акция собрала миллион тенге",
         "Волонтёры провели акцию в поддержку детского дома. Акция продлится неделю.", "protest"),
        ("ru", "Очередь на границе",
         "Ожидание на границе стало настоящей пыткой для водителей. Пытка длилась трое суток, "
         "водители ночевали в кабинах.", "torture"),
        ("en", "Border queues", "The wait was torture. Drivers said the torture lasted days.",
         "torture"),
        ("ru", "Рецензия: «Темная камера»",
         "Режиссер показывает пытки в тюрьме без прикрас. Фильм о пытках заключенных в 1937 "
         "году снят на плёнку.", "torture"),
        ("ru", "Экономика Грузии выросла на 7%",
         "Рост ВВП ускорился. Несмотря на протесты прошлого года, инвестиции выросли. "
         "Экспорт вина увеличился.", "protest"),
        ("ru", "В Караганде ограбили магазин",
         "Неизвестный похитил деньги из кассы. Полиция задержала подозреваемого через час. "
         "Ущерб оценивается в 500 тысяч тенге.", "police"),
    ],
)  # fmt: skip
def test_hard_negatives_are_not_tagged(
    tagger: Tagger, lang: str, title: str, text: str, topic: str
) -> None:
    assert topic not in topics(tagger, title, text, lang)


def test_title_only_signal_is_enough(tagger: Tagger) -> None:
    result = tagger.tag("Полиция провела обыски у активистов", "Подробности позже.", "ru")
    assert result.topics == ["police"]
    assert {m.field for m in result.matches["police"]} == {"title"}


def test_passing_mention_is_not_enough_but_two_sentences_are(tagger: Tagger) -> None:
    one = "Вчера в Бишкеке прошёл концерт. Говорят, был и митинг. Погода была хорошей."
    two = "Вчера в Бишкеке прошёл митинг. Участники митинга требовали отставки мэра."
    assert "protest" not in topics(tagger, "Новости", one, "ru")
    assert "protest" in topics(tagger, "Новости", two, "ru")


# --- matches ---------------------------------------------------------------------------


def test_matches_point_at_the_surface_text(tagger: Tagger) -> None:
    title = "Полиция Алматы задержала участников митинга"
    text = "Полиция задержала\u00a0двадцать митингующих. «Акция протеста» была мирной, сказал Ёрж."
    result = tagger.tag(title, text, "ru")
    assert {"police", "protest"} <= set(result.topics)
    for topic, matches in result.matches.items():
        assert matches
        for m in matches:
            assert m.topic == topic
            source = title if m.field == "title" else text
            assert source[m.start : m.end] == m.surface
    surfaces = {m.surface for m in result.matches["protest"]}
    assert {"митинга", "митингующих", "Акция протеста"} <= surfaces
    terms = {m.term for m in result.matches["protest"]}
    assert "митинг*" in terms
    # a word inside a matched phrase is not reported again on its own
    protest = [(m.field, m.start, m.end) for m in result.matches["protest"]]
    assert len(protest) == len(set(protest))
    assert not any(m.surface == "протеста" for m in result.matches["protest"])


def test_a_match_below_the_tag_score_is_a_near_miss_with_its_words() -> None:
    """The query matched one sentence where a tag needs two: no tag, but the terms and the
    words they matched are kept for monitors to check (a phrase's words joined by a space)."""
    tagger = Tagger.from_text(
        '[topics.protest]\nlabel = "Protests"\ndescription = "Public protest."\n'
        "[topics.protest.queries]\nru = 'митинг* OR \"акци* протест*\"'\n")
    once = tagger.tag("Новости", "Вчера прошёл концерт. Говорят, была акция\u00a0 протеста.",
                      "ru")
    assert once.topics == [] and once.scores["protest"] == 1.0
    assert [(n.surface, n.field) for n in once.near["protest"]] == [("акция протеста", "text")]
    twice = tagger.tag("Митинг в Оше", "Участники митинга требовали отставки.", "ru")
    assert twice.topics == ["protest"] and twice.near == {}


def test_scores_cover_every_topic(tagger: Tagger) -> None:
    result = tagger.tag("", "Ничего интересного.", "ru")
    assert result.topics == [] and result.matches == {}
    assert result.scores == {"police": 0.0, "protest": 0.0, "torture": 0.0}
