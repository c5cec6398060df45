"""Full-text search: every language's letters are searchable, Russian and English stemmed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import run_cli
from warehouse.connection import open_readonly, open_warehouse
from warehouse.load import SourceRun, load_run
from warehouse.runs import start_run, upsert_sources
from warehouse.search import refresh_search_index, search_stories, snippet

# (language, country, title, text): real-language sentences about police, protest, torture.
ARTICLES = [
    ("ru", "KG", "Пытки в ИВС Оша", "Родственники задержанного заявляют, что его пытали "
     "сотрудники милиции."),
    ("en", "KZ", "Police detain protesters in Almaty", "Human rights groups said the police "
     "tortured detained protesters."),
    ("kk", "KZ", "Алматыда наразылық акциясы", "Полиция қызметкерлері бейбіт жиынға "
     "қатысушыларды ұстады."),
    ("ky", "KG", "Бишкекте нааразылык акциясы", "Милиция кызматкерлери тынчтык жыйынынын "
     "катышуучуларын кармады; кыйноо тууралуу арыздар бар."),
    ("uz", "UZ", "Oʻzbekistonda qiynoqlar haqida hisobot", "Huquq himoyachilari militsiya "
     "boʻlimlarida gʻayriqonuniy qiynoqlar davom etayotganini aytdi."),
    ("tg", "TJ", "Шиканҷа дар боздоштгоҳи Душанбе", "Ҳимоятгарони ҳуқуқ мегӯянд, ки "
     "кормандони милитсия боздоштшудагонро шиканҷа кардаанд."),
]

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


def _write(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def stage_articles(run_dir: Path) -> None:
    now = datetime.now(UTC).isoformat()
    captures, extracted, tagged = [], [], []
    for number, (lang, _country, title, text) in enumerate(ARTICLES):
        source = f"src-{lang}"
        url = f"https://{lang}.example.org/news/{number}"
        captures.append({
            "capture_id": f"c-{lang}", "source_id": source, "url": url, "kind": "article",
            "http_status": 200, "content_type": "text/html", "content_sha1": lang, "bytes": 10,
            "warc_file": f"warc/r/{source}.warc.gz", "warc_offset": 0, "warc_length": 10,
            "fetched_at": now})
        extracted.append({
            "article_id": f"a-{lang}", "url": url, "canonical_url": None, "source_id": source,
            "capture_id": f"c-{lang}", "title": title, "text": text, "author": None,
            "published_at": f"2026-11-0{number + 1}T10:00:00+00:00", "language": lang,
            "description": None, "encoding": "utf-8", "text_sha1": lang, "extracted_at": now})
        tagged.append({"article_id": f"a-{lang}", "topic": "torture" if number % 2 else "police",
                       "score": 1.0, "matches": [], "topics_version": "v1", "tagged_at": now})
    _write(run_dir / "all" / "captures.jsonl", captures)
    _write(run_dir / "all" / "extracted.jsonl", extracted)
    _write(run_dir / "all" / "tagged.jsonl", tagged)


def build_warehouse(data: Path) -> None:
    sources = [{"source_id": f"src-{lang}", "name": f"Outlet {lang}", "family": "wordpress",
                "countries": [country], "languages": [lang], "base_url": "https://x.org/"}
               for lang, country, _t, _x in ARTICLES]
    stage_articles(data / "runs" / "r")
    with open_warehouse(data) as con:
        upsert_sources(con, sources)
        start_run(con, "r", datetime.now(UTC), "replay", None, "v1")
        load_run(con, "r", data / "runs" / "r",
                 [SourceRun(s["source_id"], "ok", None, 1, 1, 0, 0, 10, 0.1) for s in sources])
        refresh = refresh_search_index(con)
    assert (refresh.documents, refresh.added) == (len(ARTICLES), len(ARTICLES))


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("search")
    build_warehouse(data)
    return data


@pytest.mark.parametrize(("lang", "query", "note"), QUERIES, ids=[q[1] for q in QUERIES])
def test_each_language_is_searchable(warehouse: Path, lang: str, query: str, note: str) -> None:
    with open_readonly(warehouse) as con:
        hits = search_stories(con, query)
    assert [h.article_id for h in hits] == [f"a-{lang}"], note


def test_search_command_ranks_filters_and_shows_a_snippet(warehouse: Path) -> None:
    data = ["--data", str(warehouse)]
    both = json.loads(run_cli([*data, "search", "пытали police", "--any", "--format",
                               "json"]).stdout)
    assert {h["article_id"] for h in both} == {"a-ru", "a-en"}
    assert all(h["score"] > 0 for h in both)
    assert both == sorted(both, key=lambda h: -h["score"])
    only_kz = json.loads(run_cli([*data, "search", "пытали police", "--any", "--country", "kz",
                                  "--format", "json"]).stdout)
    assert [h["article_id"] for h in only_kz] == ["a-en"]
    by_topic = json.loads(run_cli([*data, "search", "пытали police", "--any", "--topic",
                                   "police", "--format", "json"]).stdout)
    assert [h["article_id"] for h in by_topic] == ["a-ru"]
    later = json.loads(run_cli([*data, "search", "пытали police", "--any", "--since",
                                "2026-11-02", "--format", "json"]).stdout)
    assert [h["article_id"] for h in later] == ["a-en"]
    printed = run_cli([*data, "search", "tortured"]).stdout
    assert "Police detain protesters in Almaty" in printed
    assert "https://en.example.org/news/1" in printed
    assert "police tortured detained" in printed  # the snippet around the match


def test_search_reports_a_bad_day_and_no_match(warehouse: Path) -> None:
    bad = run_cli(["--data", str(warehouse), "search", "пытки", "--since", "yesterday"],
                  check=False)
    assert bad.returncode == 1 and "YYYY-MM-DD" in bad.stderr
    none = run_cli(["--data", str(warehouse), "search", "землетрясение"])
    assert "no story matches" in none.stdout


def test_find_stories_works_inside_sql(warehouse: Path) -> None:
    rows = json.loads(run_cli([
        "--data", str(warehouse), "sql", "--format", "json",
        "SELECT s.language, s.outlet FROM find_stories('милиция') f JOIN stories s "
        "USING (article_id) ORDER BY f.score DESC"]).stdout)
    assert {r["language"] for r in rows} == {"ru", "ky"}


def test_refresh_follows_new_deleted_and_changed_articles(tmp_path: Path) -> None:
    build_warehouse(tmp_path)
    with open_warehouse(tmp_path) as con:
        con.execute("DELETE FROM articles WHERE article_id = 'a-ru'")
        con.execute("INSERT INTO articles SELECT * REPLACE ('a-new' AS article_id, "
                    "'https://en.example.org/new' AS url, 'Sandstorm' AS title) "
                    "FROM articles WHERE article_id = 'a-en'")
        con.execute("UPDATE articles SET text = 'Протестующих задержали', text_sha1 = 'new' "
                    "WHERE article_id = 'a-kk'")
        refresh = refresh_search_index(con)
        assert (refresh.documents, refresh.added) == (len(ARTICLES), 2)
        assert [h.article_id for h in search_stories(con, "протестующие")] == ["a-kk"]
        assert search_stories(con, "қызметкерлері") == []
        assert [h.article_id for h in search_stories(con, "пытка")] == []
        assert [h.article_id for h in search_stories(con, "sandstorm")] == ["a-new"]


def test_snippet_marks_the_first_match() -> None:
    text = "Начало. " * 40 + "Задержанного пытали сотрудники милиции. " + "Конец. " * 40
    cut = snippet(text, ["пыта"], width=80)
    assert "**пытали**" in cut
    assert cut.startswith("…") and cut.endswith("…")
    assert snippet("Короткий текст", ["нет"]) == "Короткий текст"
