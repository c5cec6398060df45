"""Turkmen queries, briefs, ^0 context, and the evaluation over several labelled files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.tagging.evaluate import evaluate, format_markdown, format_report, write_figures
from flows.tagging.tagger import Tagger
from flows.tagging.topics import TopicsConfigError
from tests.helpers import ROOT, invoke

LONG_FILLER = " Погода в городе была тёплой, рынки работали как обычно." * 12


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    # The queries' rules; the borderline model has its own tests (test_tagging_borderline.py).
    return Tagger.from_file(ROOT / "config" / "topics.toml", borderline=False)


def topics(tagger: Tagger, text: str, lang: str, title: str = "") -> list[str]:
    return tagger.tag(title, text, lang).topics


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Aşgabatda polisiýa aktiwisti tussag etdi. Polisiýa işgärleri onuň öýüni gözledi.",
         ["police"]),
        ("Stambulda türkmen aktiwistleri protest aksiýasyny geçirdi. Protestçiler şygarlary "
         "göterdiler.", ["protest"]),
        ("Tussaghanada tussaglar gynalýar. Öňki tussag türmede urgy görendigini aýtdy.",
         ["torture"]),
    ],
)
def test_turkmen_stories_are_tagged_with_turkmen_queries(
    tagger: Tagger, text: str, expected: list[str]
) -> None:
    assert tagger.plan_language("tk") == "tk"
    assert topics(tagger, text, "tk") == expected


def test_turkmen_police_as_source_and_sorrow_are_not_tagged(tagger: Tagger) -> None:
    crash = ("Balkanda ýol hadysasynda iki adam öldi. “Minibusda ölüm-ýitim bolmady” diýip, "
             "ýagdaýlardan habarly balkanly polisiýa işgäri gürrüň berdi. Azatlyk bu barada "
             "Polisiýa müdirliginden resmi teswir alyp bilmedi." + " Howa sowuk boldy." * 40)
    assert topics(tagger, crash, "tk") == []
    # gynanç (sorrow) is no torture word: gyna* would have matched it
    sorrow = "Türmäniň golaýynda ýaşaýanlar ýangyn sebäpli gynandylar. Gynançly waka boldy."
    assert topics(tagger, sorrow, "tk") == []


def test_a_brief_is_tagged_by_its_lede_only(tagger: Tagger) -> None:
    lede = "В Алматы полиция задержала трёх активистов. Их отпустили вечером."
    later = "В Алматы открылась выставка. Говорят, на ней дежурила полиция."
    assert "police" in topics(tagger, lede, "ru")
    assert "police" not in topics(tagger, later, "ru")  # a passing mention, even in a brief
    assert "police" not in topics(tagger, lede + LONG_FILLER, "ru")  # no brief: two needed
    assert "police" in topics(tagger, "АЛМАТЫ.\n" + lede, "ru")  # a dateline comes first


def test_a_story_that_opens_on_a_protest_is_a_protest_story_at_any_length(
    tagger: Tagger,
) -> None:
    opening = "Жители села вышли на пикет у здания акимата." + LONG_FILLER
    later = "Жители села обсудили ремонт дороги." + LONG_FILLER + " Вспомнили и пикет."
    assert len(opening) > 600 and "protest" in topics(tagger, opening, "ru")  # lede_tags
    assert "protest" not in topics(tagger, later, "ru")  # one passing sentence still is not
    # The lede: short lines (a dateline, a menu line) come along, within three sentences
    dated = "АСТАНА.\n\nГлавная / Новости\n\nРабочие вышли на забастовку." + LONG_FILLER
    fourth = "АСТАНА.\nГлавная.\nНовости.\nРабочие вышли на забастовку." + LONG_FILLER
    after = "Жители села вчера обсудили ремонт дороги у школы. Был и пикет." + LONG_FILLER
    assert "protest" in topics(tagger, dated, "ru")
    assert "protest" not in topics(tagger, fourth, "ru")
    assert "protest" not in topics(tagger, after, "ru")  # the lede ends at a long sentence
    assert "police" not in topics(tagger, "В Алматы дежурила полиция." + LONG_FILLER, "ru")


def test_in_protest_is_protest_outside_sport_and_a_share_button_is_no_stock_market(
    tagger: Tagger,
) -> None:
    coaches = "Two wrestling coaches stripped off in protest after the bronze medal bout."
    assert "protest" not in topics(tagger, coaches, "en")
    inmates = "Share\nInmates in Oral cut themselves in protest. They protest at their treatment."
    assert "protest" in topics(tagger, inmates, "en")


@pytest.mark.parametrize(("lang", "text"), [
    ("ru", "Милиция применила слезоточивый газ у здания акимата. Толпа не расходилась."),
    ("ky", "Милиция көздөн жаш агызуучу газ колдонду. Эл тарабады."),
    ("tk", "Polisiýa göz ýaşardyjy gaz ulandy. Adamlar dagamady."),
])  # fmt: skip
def test_tear_gas_is_crowd_control_and_so_a_protest(tagger: Tagger, lang: str, text: str) -> None:
    assert "protest" in topics(tagger, text + LONG_FILLER, lang)


def test_a_kazakh_city_centre_is_no_fire(tagger: Tagger) -> None:
    # өрт (fire) and орта (middle) share the skeleton's ort-: the accident kind names forms
    centre = "Алматы орталығында полиция рейд өткізді. Полиция үш адамды ұстады."
    assert "police" in topics(tagger, centre + LONG_FILLER, "kk")
    fire = "Алматыда өрт шықты. Полиция тексеріп жатыр. Полиция куәлардан жауап алды."
    assert "police" not in topics(tagger, fire + LONG_FILLER, "kk")  # a fire: three needed


def test_kyrgyz_patrol_police_and_demands_being_made(tagger: Tagger) -> None:
    patrol = ("Жол кайгуул кызматынын инспектору айдоочуну токтотту. Кайгуул кызматы текшерүү "
              "жүргүзүүдө.")
    assert "police" in topics(tagger, patrol + LONG_FILLER, "ky")
    drivers = "Такси айдоочулары мэрияга чогулушту. Алар өз каттамын талап кылышууда."
    assert "protest" in topics(tagger, drivers + LONG_FILLER, "ky")


def test_beatings_in_a_police_department_and_kazakh_army_bullying_are_torture(
    tagger: Tagger,
) -> None:
    ovd = "Мужчину избили дубинками в здании ОВД. Он лишился почки."
    assert "torture" in topics(tagger, ovd + LONG_FILLER, "ru")
    army = "Сарбаз әскери бөлімде әлімжеттікке ұшырады. Әкесі шағым түсірді."
    assert "torture" in topics(tagger, army + LONG_FILLER, "kk")


def test_tajik_security_forces_are_police(tagger: Tagger) -> None:
    clash = ("Дар Зоҳидон нерӯҳои амниятӣ ба мардум тир холӣ карданд. Нерӯҳои амниятӣ "
             "роҳҳоро бастанд.")
    assert "police" in topics(tagger, clash + LONG_FILLER, "tg")


def test_kyrgyz_discontent_is_no_protest_until_it_is_expressed(tagger: Tagger) -> None:
    grumbling = "Ысык-Көлдө жарык өчүп, элдин нааразылыгы күчөдү. Нааразылыгы басылган жок."
    assert "protest" not in topics(tagger, grumbling, "ky")
    outrage = "Тармактарда нааразычылыкты жараткан видео боюнча милиция маалымат берди."
    assert "protest" not in topics(tagger, outrage + LONG_FILLER, "ky")
    rally = ("Тургундар акимиатка барып нааразылык билдиришти. Нааразылык акциясы саат онго "
             "чейин уланды.")
    assert "protest" in topics(tagger, rally, "ky")


def test_a_kazakh_rally_in_arabic_script_is_a_protest(tagger: Tagger) -> None:
    rally = "اتىراۋ قالاسىنىڭ تۇرعىندارى سۋ ماسەلەسىنە بايلانىستى ميتينگكە شىقتى."
    assert topics(tagger, rally, "kk") == ["protest"]


def test_a_tajik_detention_centre_is_not_a_detention(tagger: Tagger) -> None:
    filler = " Ҳаво гарм буд." * 20
    centre = "24 муҳоҷир дар боздоштгоҳ даст ба гуруснанишинӣ задаанд." + filler
    assert topics(tagger, centre, "tg") == ["protest"]  # боздоштгоҳ: a place, not police
    rally = "Дар гирдиҳамоӣ 10 нафар боздошт шуданд." + filler
    assert "police" in topics(tagger, rally, "tg")  # боздошт шуданд: were detained


def test_the_turkmen_idiom_to_resort_to_is_no_beating(tagger: Tagger) -> None:
    idiom = "Häkimiýetler talaňçylyga ýüz urýarlar. Polisiýa işgärleri ýandaklary alýarlar."
    assert "torture" not in topics(tagger, idiom + LONG_FILLER, "tk")
    beating = "Polisiýa işgärleri tussaghanada tussagy urýarlar. Tussag şikaýat etdi."
    assert "torture" in topics(tagger, beating + LONG_FILLER, "tk")


def test_a_site_slogan_of_off_beat_stories_is_no_beating(tagger: Tagger) -> None:
    slogan = "Get the latest news, off-beat stories and analysis. A prisoner was moved to a "
    assert "torture" not in topics(tagger, slogan + "prison in Bishkek.", "en")
    assert "torture" in topics(tagger, "A prisoner was beat by guards in the prison.", "en")


def test_lede_tags_must_be_true_or_false() -> None:
    with pytest.raises(TopicsConfigError, match=r"topics.t.lede_tags must be true or false"):
        Tagger.from_text("[topics.t]\nlede_tags = 1\n[topics.t.queries]\nru = 'митинг'\n")


def test_police_actions_at_a_rally_count_for_police(tagger: Tagger) -> None:
    text = ("Участники митинга вышли на площадь с плакатами." + LONG_FILLER
            + " Вечером участников митинга задержали и увезли в отдел.")
    assert topics(tagger, text, "ru") == ["police", "protest"]


def test_torture_prevention_vocabulary_counts_as_torture(tagger: Tagger) -> None:
    text = ("Рабочая группа представила Индекс запрета пыток за 2022 год." + LONG_FILLER)
    assert topics(tagger, text, "ru") == ["torture"]
    metaphor = "Ожидание результатов было настоящей пыткой для болельщиков." + LONG_FILLER
    assert topics(tagger, metaphor, "ru") == []


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # a hunger strike inside detention is a protest (LABELS.md)
        ("ky", "Жети абакта соттолгондор ачкачылык кармап жатышат. Ачкачылык кармагандар "
         "кармоо шарттарын жакшыртууну талап кылышты.", ["protest"]),
        # Kazakh in Latin script: the police as actors, then only as the source of a crash
        ("kk", "Almatyda polıtsııa belsendilerdi ustady. Polıtsııa qyzmetkerleri olardy "
         "bólimshege alyp ketti.", ["police"]),
        ("kk", "Qaraǵandy oblysy polıtsııa departamenti taratqan málimetke sensek, 6 avtokólik "
         "soǵylǵan. Qaraǵandy oblysynyń polıtsııa departamenti kólik júrgizýshilerden "
         "erejeni saqtaýdy suraıdy.", []),
        # advocacy against torture, in one sentence
        ("kk", "Құқық қорғаушылар азаптауға қарсы коалицияның баяндамасын ұсынды.", ["torture"]),
        # the Interior Ministry as the source of a crash report
        ("tg", "Дар садама се нафар ҷон бохтанд. Тибқи иттилои Вазорати корҳои дохилӣ, ронанда "
         "ба хатти муқобил баромадааст. Бино ба маълумоти Вазорати корҳои дохилии ҷумҳурӣ, "
         "садама шаб рух дод.", []),
        # Kazakh in the 2021 Latin alphabet meets the Cyrillic queries (folded skeleton)
        ("kk", "Oralda alaŋǧa bos plakat ūstap şyqqan tūrǧyn polisiia qyzmetkerlerımen "
         "ūstaldy. Ony polisiia bölımşesıne alyp ketti.", ["police"]),
        # a routine arrest is a police action (LABELS.md), named by its verb in a story that
        # names the police; an arrest recalled in a court story without them is not
        ("tg", "Дар Душанбе гумонбар ба қатл дастгир гардид. Кормандони милитсия ӯро "
         "боздошт карданд.", ["police"]),
        ("en", "A court sentenced the blogger to seven years. He was arrested in March and "
         "has been held since. His lawyer said he was arrested for his posts.", []),
        # prisoners sewing their mouths shut protest; Tajik hunger strike spelt without -ни-
        ("kk", "Түрмеде үш сотталған аузын сыммен тігіп тастады. Олар прокурормен кездесуді "
         "талап етіп наразылық білдірді.", ["protest"]),
        ("tg", "Маҳбусон дар зиндон гуруснашинӣ эълом карданд. Ин бори дувум аст, ки "
         "маҳбусон гуруснашинӣ мекунанд.", ["protest"]),
        # humiliation of conscripts by sergeants is army ill-treatment
        ("tg", "Ду сержант барои таҳқири нуҳ сарбоз айбдор шуданд. Сарбозонро дар қисми "
         "ҳарбӣ таҳқир карда буданд.", ["torture"]),
        # a photo credit and a fire-brigade of the ministry are not police stories
        ("uz", "Фото: Жиззах вилояти ИИБ. Автобус ва юк машинаси тўқнашди, дея хабар бермоқда "
         "вилоят ИИБ.", []),
        # historical repression is not torture (LABELS.md)
        ("ky", "Ата-Бейит мемориалында сталиндик репрессиянын курмандары эскерилди. Кыйноо "
         "көргөн туткундар абакта өлгөн.", []),
    ],
)
def test_vocabulary_classes_from_the_real_text_set(
    tagger: Tagger, lang: str, text: str, expected: list[str]
) -> None:
    filler = " Ҳаво гарм буд." if lang == "tg" else " Aýa raıy jyly boldy."
    assert topics(tagger, text + filler * 40, lang) == expected  # no brief: two sentences


def test_context_boosted_to_zero_must_match_but_does_not_score() -> None:
    def tag(query: str) -> list[str]:
        toml = f"[topics.t]\nmin_score = 2\n[topics.t.queries]\nru = '{query}'\n"
        text = "Задержанный рассказал о пытках. Его держали в СИЗО." + LONG_FILLER
        return Tagger.from_text(toml).tag("", text, "ru").topics

    assert tag("пытк* AND СИЗО") == ["t"]  # two sentences with hits
    assert tag("пытк* AND (СИЗО)^0") == []  # СИЗО is required context only: one sentence
    assert tag("пытк* AND (колони*)^0") == []  # and it is required


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


@pytest.fixture()
def labelled(tmp_path: Path) -> list[Path]:
    held = _write(tmp_path / "held.jsonl", [
        {"id": "1", "lang": "ru", "title": "Митинг в Бишкеке", "text": "Прошёл митинг.",
         "topics": ["protest"]},
        {"id": "2", "lang": "en", "title": "Crash on the highway", "text": "A car crashed.",
         "topics": [], "hard_negative": True},
    ])
    feedback = _write(tmp_path / "feedback.jsonl", [
        {"id": "3", "lang": "en", "title": "Police detain protesters",
         "text": "Police detained protesters at a rally.", "topics": ["police", "protest"],
         "hard_negative": False},
    ])
    return [held, feedback]


def test_several_files_are_scored_as_one_set(tagger: Tagger, labelled: list[Path]) -> None:
    report = evaluate(labelled, tagger)
    assert report.articles == 3 and report.files == [str(p) for p in labelled]
    assert report.topics["protest"].tp == 2 and report.topics["police"].tp == 1
    assert (report.hard_negatives, report.hard_negatives_tagged) == (1, 0)
    assert "hard negatives wrongly tagged: 0 of 1 (0.0%)" in format_report(report)
    (labelled[1]).write_text("{not json\n", "utf-8")
    assert evaluate(labelled, tagger).errors == [f"{labelled[1]}: line 1: invalid JSON: "
                                                 "Expecting property name enclosed in double "
                                                 "quotes"]


def test_a_hard_negative_counts_when_given_a_topic_its_labels_lack(
    tagger: Tagger, tmp_path: Path
) -> None:
    # A hard case for protest (a diplomatic note) that is a police story all the same: its
    # police tag is right, its protest tag would not be.
    hard = {"id": "h", "lang": "en", "title": "Police detain protesters",
            "text": "Police detained protesters at a rally.", "hard_negative": True}
    right = evaluate([_write(tmp_path / "a.jsonl", [{**hard, "topics": ["police", "protest"]}])],
                     tagger)
    wrong = evaluate([_write(tmp_path / "b.jsonl", [{**hard, "topics": ["police"]}])], tagger)
    assert (right.hard_negatives, right.hard_negatives_tagged) == (1, 0)
    assert (wrong.hard_negatives, wrong.hard_negatives_tagged) == (1, 1)


def test_markdown_figures_replace_the_marked_block(
    tagger: Tagger, labelled: list[Path], tmp_path: Path
) -> None:
    markdown = format_markdown(evaluate(labelled, tagger))
    assert markdown.startswith("3 articles (`held.jsonl`, `feedback.jsonl`)")
    assert "| protest | 2 | 100.0 | 100.0 | 100.0 |" in markdown
    assert "| ru | 1 | — | 0.0 | — |" not in markdown and "| ru | 1 | 100.0 |" in markdown
    doc = tmp_path / "DOC.md"
    doc.write_text("intro\n<!-- tag-figures -->\nstale\n<!-- /tag-figures -->\nend\n", "utf-8")
    write_figures(doc, markdown)
    text = doc.read_text("utf-8")
    assert "stale" not in text and markdown in text
    assert text.endswith("<!-- /tag-figures -->\nend\n")


def test_cli_takes_several_eval_files_and_markdown(labelled: list[Path]) -> None:
    args = ["tag", "--eval", str(labelled[0]), "--eval", str(labelled[1])]
    plain = invoke(args).stdout
    assert plain.startswith("3 articles") and "hard negatives wrongly tagged: 0 of 1" in plain
    marked = invoke([*args, "--markdown"]).stdout
    assert "| topic | positives | precision | recall | F1 |" in marked


def test_eval_reads_a_device_or_pipe_not_only_a_regular_file() -> None:
    result = invoke(["tag", "--eval", "/dev/null"])  # like <(…) in a shell: not a regular file
    assert result.returncode == 0 and result.stdout.startswith("0 articles")


@pytest.mark.parametrize("doc", ["README.md", "docs/TOPICS.md"])
def test_published_held_out_figures_are_those_of_the_shipped_queries(
    doc: str, tmp_path: Path
) -> None:
    """A change to topics.toml or the borderline model must come with `make tag-figures`:
    the figures stay true. They are the shipped tagger's, model and all."""
    shipped = Tagger.from_file(ROOT / "config" / "topics.toml")
    markdown = format_markdown(evaluate([ROOT / "tests/data/real_holdout.jsonl"], shipped))
    copy = tmp_path / "doc.md"
    copy.write_text((ROOT / doc).read_text("utf-8"), "utf-8")
    write_figures(copy, markdown)
    assert copy.read_text("utf-8") == (ROOT / doc).read_text("utf-8")
