"""The search index: Lucene syntax, filters, highlights, and nights that add only the new
articles (a warehouse of six stories built from rows, tests/helpers.py)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.helpers import build_search_warehouse
from warehouse.connection import open_readonly, open_warehouse
from warehouse.search import (
    QueryError,
    SearchIndexMissing,
    refresh_search_index,
    reindex,
    search_stories,
)
from warehouse.search_index import index_path


def add_article(con: duckdb.DuckDBPyConnection, article_id: str, like: str, title: str,
                text: str) -> None:
    """A copy of the article `like` with another id, title and text."""
    con.execute("INSERT INTO articles SELECT * REPLACE (? AS article_id, ? AS url, ? AS title, "
                "? AS text, ? AS text_sha1) FROM articles WHERE article_id = ?",
                [article_id, f"https://x.org/{article_id}", title, text, article_id, like])


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("search-index")
    build_search_warehouse(data)
    with open_warehouse(data) as con:
        add_article(con, "a-en-2", "a-en", "A torturous road", "The road to Osh is torturous.")
        add_article(con, "a-uz-cyr", "a-uz", "Ҳисобот", "Милиция бўлимида қийноқ ҳақида арз.")
        refresh_search_index(con)
    return data


def found(data: Path, query: str, **filters: object) -> list[str]:
    with open_readonly(data) as con:
        return sorted(h.article_id for h in search_stories(con, query, **filters))


@pytest.mark.parametrize(("query", "expected"), [
    ('"сотрудники милиции"', ["a-ru"]),  # a phrase, inflected
    ('"милиции сотрудники"', []),  # in its order
    ('"пытали милиции"~1', ["a-ru"]),  # one word between
    ('"пытали милиции"', []),
    ("пытали NEAR/2 милиции", ["a-ru"]),
    ("пытал*", ["a-ru"]),  # a prefix longer than the stem пыта
    ("шикан*", ["a-tg"]),
    ("title:пытки", ["a-ru"]),
    ("title:милиции", []),  # only in the text
    ("text:милиция", ["a-ky", "a-ru", "a-uz", "a-uz-cyr"]),  # Uzbek militsiya too
    ("милиция AND NOT lang:ru AND NOT lang:uz", ["a-ky"]),
    ("милиция -outlet:src-ky -lang:uz", ["a-ru"]),
    ("outlet:src-kk", ["a-kk"]),
    ("police OR пытки", ["a-en", "a-ru"]),
    ("torture", ["a-en"]),  # not the torturous road
    ("torturous", ["a-en-2"]),
    ("qiynoq", ["a-uz", "a-uz-cyr"]),  # either script finds both
    ("қийноқлар", ["a-uz", "a-uz-cyr"]),
    ("кийнок", ["a-uz", "a-uz-cyr"]),
    ("topic:torture country:tj", ["a-tg"]),
])
def test_query_syntax(warehouse: Path, query: str, expected: list[str]) -> None:
    assert found(warehouse, query) == expected


def test_filters_narrow_the_hits(warehouse: Path) -> None:
    query = "милиция OR police OR полиция"
    assert found(warehouse, query) == ["a-en", "a-kk", "a-ky", "a-ru", "a-uz", "a-uz-cyr"]
    assert found(warehouse, query, language="ky") == ["a-ky"]
    assert found(warehouse, query, outlet="Outlet kk") == ["a-kk"]
    assert found(warehouse, query, country="KG") == ["a-ky", "a-ru"]
    assert found(warehouse, query, topic="torture") == ["a-en", "a-ky"]
    assert found(warehouse, query, since=date(2026, 11, 2), until=date(2026, 11, 3)) == [
        "a-en", "a-kk"]


def test_hits_are_ranked_and_highlighted(warehouse: Path) -> None:
    with open_readonly(warehouse) as con:
        hits = search_stories(con, "пытали OR милиция")
        text = con.execute("SELECT text FROM articles WHERE article_id = 'a-ru'").fetchone()[0]
    assert [h.article_id for h in hits][0] == "a-ru"  # in its title and its text
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    first = hits[0]
    assert [text[s:e] for s, e in first.highlights] == ["пытали", "милиции"]
    assert "**пытали**" in first.snippet and "**милиции**" in first.snippet


def test_a_query_that_does_not_parse_says_so(warehouse: Path) -> None:
    with open_readonly(warehouse) as con, pytest.raises(QueryError, match="parenthesis"):
        search_stories(con, "пытки AND (милиция")


def test_a_second_night_adds_only_its_new_articles(tmp_path: Path) -> None:
    build_search_warehouse(tmp_path)
    segments = {p.name for p in index_path(tmp_path).iterdir()}
    with open_warehouse(tmp_path) as con:
        assert refresh_search_index(con).added == 0  # nothing new: nothing written
        assert {p.name for p in index_path(tmp_path).iterdir()} == segments
        add_article(con, "a-new", "a-kk", "Жаңа", "Ереуілге шыққан жұмысшылар ұсталды.")
        refresh = refresh_search_index(con)
    assert (refresh.added, refresh.documents) == (1, 7)
    assert segments <= {p.name for p in index_path(tmp_path).iterdir()}  # old files kept
    assert found(tmp_path, "ереуіл") == ["a-new"]


class Crash(RuntimeError):
    pass


def crash(step: str) -> None:
    raise Crash(step)


def test_a_crash_inside_the_update_leaves_a_usable_index(tmp_path: Path) -> None:
    build_search_warehouse(tmp_path)
    with open_warehouse(tmp_path) as con:
        add_article(con, "a-new", "a-ru", "Новость", "Суд отпустил задержанных.")
        with pytest.raises(Crash):
            refresh_search_index(con, on_step=crash)
    assert found(tmp_path, "пытки") == ["a-ru"]  # the index is whole
    with open_warehouse(tmp_path) as con:
        refresh = refresh_search_index(con)  # the next run finishes it
    assert (refresh.added, refresh.documents) == (1, 7)
    assert found(tmp_path, "суд") == ["a-new"]


def test_reindex_rebuilds_from_the_warehouse(tmp_path: Path) -> None:
    build_search_warehouse(tmp_path)
    with open_warehouse(tmp_path) as con:
        assert reindex(con).documents == 6
    assert found(tmp_path, "шиканча") == ["a-tg"]


def test_no_index_is_reported(tmp_path: Path) -> None:
    build_search_warehouse(tmp_path)
    for path in sorted(index_path(tmp_path).iterdir()):
        path.unlink()
    index_path(tmp_path).rmdir()
    with open_readonly(tmp_path) as con, pytest.raises(SearchIndexMissing):
        search_stories(con, "пытки")


def test_retagged_articles_are_replaced(tmp_path: Path) -> None:
    build_search_warehouse(tmp_path)
    assert found(tmp_path, "милиция", topic="protest") == []
    with open_warehouse(tmp_path) as con:  # as `reprocess --tags` writes a new tag
        con.execute("INSERT INTO article_topics SELECT * REPLACE ('protest' AS topic, now() "
                    "AS tagged_at) FROM article_topics WHERE article_id = 'a-ky'")
        refresh = refresh_search_index(con)
    assert refresh.added == 1
    assert found(tmp_path, "милиция", topic="protest") == ["a-ky"]


def test_a_night_drops_removed_articles(tmp_path: Path) -> None:
    build_search_warehouse(tmp_path)
    with open_warehouse(tmp_path) as con:
        con.execute("DELETE FROM articles WHERE article_id = 'a-tg'")
        add_article(con, "a-new", "a-kk", "Жаңа", "Ереуілге шыққан жұмысшылар ұсталды.")
        refresh = refresh_search_index(con)
    assert (refresh.added, refresh.removed, refresh.documents) == (1, 1, 6)
    assert found(tmp_path, "шиканча") == []
