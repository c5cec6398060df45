"""Full-text search: every language's words are searchable and match their inflected forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import SEARCH_ARTICLES, build_search_warehouse, invoke
from warehouse.connection import open_readonly, open_warehouse
from warehouse.search import refresh_search_index, search_stories, snippet

# (language, query, note): each finds exactly its language's article.
QUERIES = [
    ("ru", "пытка", "another inflection of пытки/пытали is stemmed alike"),
    ("ru", "ПЫТКАМИ", "case does not matter"),
    ("en", "torture", "tortured is stemmed to tortur"),
    ("en", "POLICE detaining", "several words, all required, inflected"),
    ("kk", "қызметкерлері", "Kazakh қ and і"),
    ("kk", "наразылық", "Kazakh ы қ"),
    ("ky", "кыйноо", "Kyrgyz word"),
    ("ky", "нааразылык", "Kyrgyz double vowel"),
    ("uz", "qiynoqlar", "Uzbek Latin"),
    ("uz", "boʻlimlarida", "Uzbek oʻ with the modifier letter ʻ"),
    ("uz", "bo'limlarida", "Uzbek oʻ typed with an ASCII apostrophe"),
    ("uz", "g‘ayriqonuniy", "Uzbek gʻ typed with a curly quote"),
    ("tg", "шиканҷа", "Tajik ҷ"),
    ("tg", "шиканча", "Tajik ҷ typed as ч on a Russian keyboard"),
    ("tg", "ҳимоятгарони", "Tajik ҳ"),
]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("search")
    build_search_warehouse(data)
    return data


@pytest.mark.parametrize(("lang", "query", "note"), QUERIES, ids=[q[1] for q in QUERIES])
def test_each_language_is_searchable(warehouse: Path, lang: str, query: str, note: str) -> None:
    with open_readonly(warehouse) as con:
        hits = search_stories(con, query)
    assert [h.article_id for h in hits] == [f"a-{lang}"], note


def test_search_command_ranks_filters_and_shows_a_snippet(warehouse: Path) -> None:
    data = ["--data", str(warehouse)]
    both = json.loads(invoke([*data, "search", "пытали police", "--any", "--format",
                               "json"]).stdout)
    assert {h["article_id"] for h in both} == {"a-ru", "a-en"}
    assert all(h["score"] > 0 for h in both)
    assert both == sorted(both, key=lambda h: -h["score"])
    only_kz = json.loads(invoke([*data, "search", "пытали police", "--any", "--country", "kz",
                                  "--format", "json"]).stdout)
    assert [h["article_id"] for h in only_kz] == ["a-en"]
    by_topic = json.loads(invoke([*data, "search", "пытали police", "--any", "--topic",
                                   "police", "--format", "json"]).stdout)
    assert [h["article_id"] for h in by_topic] == ["a-ru"]
    later = json.loads(invoke([*data, "search", "пытали police", "--any", "--since",
                                "2026-11-02", "--format", "json"]).stdout)
    assert [h["article_id"] for h in later] == ["a-en"]
    printed = invoke([*data, "search", "tortured"]).stdout
    assert "Police detain protesters in Almaty" in printed
    assert "https://en.example.org/news/1" in printed
    assert "police tortured detained" in printed  # the snippet around the match


def test_search_reports_a_bad_day_and_no_match(warehouse: Path) -> None:
    bad = invoke(["--data", str(warehouse), "search", "пытки", "--since", "yesterday"],
                  check=False)
    assert bad.returncode == 1 and "YYYY-MM-DD" in bad.stderr
    none = invoke(["--data", str(warehouse), "search", "землетрясение"])
    assert "no story matches" in none.stdout


def test_refresh_follows_new_deleted_and_changed_articles(tmp_path: Path) -> None:
    build_search_warehouse(tmp_path)
    with open_warehouse(tmp_path) as con:
        con.execute("DELETE FROM articles WHERE article_id = 'a-ru'")
        con.execute("INSERT INTO articles SELECT * REPLACE ('a-new' AS article_id, "
                    "'https://en.example.org/new' AS url, 'Sandstorm' AS title) "
                    "FROM articles WHERE article_id = 'a-en'")
        con.execute("UPDATE articles SET text = 'Жұмысшылар ереуілге шықты', text_sha1 = 'new', "
                    "extracted_at = now() WHERE article_id = 'a-kk'")  # as extracted again
        refresh = refresh_search_index(con)
        assert (refresh.documents, refresh.added, refresh.removed) == (
            len(SEARCH_ARTICLES), 2, 1)
        assert [h.article_id for h in search_stories(con, "ереуіл")] == ["a-kk"]
        assert search_stories(con, "қызметкерлері") == []
        assert [h.article_id for h in search_stories(con, "пытка")] == []
        assert [h.article_id for h in search_stories(con, "sandstorm")] == ["a-new"]


def test_snippet_marks_the_first_match() -> None:
    text = "Начало. " * 40 + "Задержанного пытали сотрудники милиции. " + "Конец. " * 40
    at = text.index("пытали")
    cut = snippet(text, [(at, at + len("пытали"))], width=80)
    assert "**пытали**" in cut
    assert cut.startswith("…") and cut.endswith("…")
    assert snippet("Короткий текст", []) == "Короткий текст"
