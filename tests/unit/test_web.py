"""The workspace in process (Starlette's TestClient) over a small warehouse with real WARC
records: every page, filters as permalinks, exports, corrections, security headers."""

from __future__ import annotations

import gzip
import io
import json
import re
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pytest
from starlette.testclient import TestClient
from warcio.archiveiterator import ArchiveIterator

from flows.settings import load_settings
from flows.web import stories_pages
from flows.web.app import TokenMissing, create_app
from flows.web.sanitise import ARCHIVE_FRAME_CSP
from flows.web.security import PAGE_CSP
from tests.helpers import CONFIG, MALICIOUS_TITLE, invoke
from tests.workspace_data import EDITED_TEXT, RUN_ID, build_workspace_warehouse
from warehouse.connection import open_readonly, open_warehouse
from warehouse.history import run_detail, run_history, source_detail, source_overview
from warehouse.sql import statement
from warehouse.stories import StoryFilter, filtered, story_query


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict:
    data = tmp_path_factory.mktemp("workspace")
    captures = build_workspace_warehouse(data)
    return {"data": data, "captures": captures}


@pytest.fixture
def client(workspace: dict) -> TestClient:
    return TestClient(create_app(load_settings(CONFIG, workspace["data"])))


def story_ids(page: str) -> list[str]:
    return re.findall(r'<li class="story" data-article="([^"]+)"', page)


def test_every_page_answers_with_the_strict_policy(client: TestClient, workspace: dict) -> None:
    capture = workspace["captures"]["a-wire1"]
    pages = ["/stories", "/stories/a-wire1", f"/archive/{capture}", "/sources",
             "/sources/kloop", "/runs", f"/runs/{RUN_ID}", "/reports", "/corrections",
             "/missed"]
    for path in pages:
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["content-security-policy"] == PAGE_CSP, path
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
    assert client.get("/stories/nope").status_code == 404
    assert client.get("/archive/nope").status_code == 404
    assert client.get("/runs/nope").status_code == 404
    assert client.get("/reports/../steppewatch.duckdb").status_code == 404


def test_each_story_once_with_all_its_topics_newest_first(client: TestClient) -> None:
    page = client.get("/stories").text
    # Newest first; a-plain has no topic.
    assert story_ids(page) == ["a-wire2", "a-wire1", "a-evil", "a-hostile", "a-tj"]
    wire = page.split('data-article="a-wire1"')[1].split("</li>\n")[0]
    assert wire.count('class="badge topic-0"') >= 1 and 'class="badge topic-1"' in wire
    assert "Stories: 5" in page
    assert story_ids(client.get("/stories?all=1").text)[-1] == "a-plain"


def test_filters_are_permalinks_that_give_the_same_result(client: TestClient) -> None:
    page = client.get("/stories", params=[("topic", "police"), ("country", "kg"),
                                          ("outlet", "kloop"), ("from", "2026-11-28")]).text
    assert story_ids(page) == ["a-wire1", "a-evil"]
    permalink = re.search(r'id="permalink" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert permalink == "/stories?topic=police&country=KG&outlet=kloop&from=2026-11-28"
    assert story_ids(client.get(permalink).text) == ["a-wire1", "a-evil"]
    assert story_ids(client.get("/stories?topic=torture&topic=protest").text) == [
        "a-wire2", "a-wire1", "a-evil", "a-hostile", "a-tj"]
    assert story_ids(client.get("/stories?lang=en").text) == []


def test_search_uses_the_topic_query_syntax_and_keeps_the_filters(client: TestClient) -> None:
    # пыткам in a-evil's text, Пытки in a-hostile's headline: one stem.
    assert story_ids(client.get("/stories?q=пытки").text) == ["a-evil", "a-hostile"]
    # a-evil and a-hostile name the изолятор (in the text, in the headline).
    assert story_ids(client.get("/stories?q=милиции AND NOT изоляторе").text) == [
        "a-wire2", "a-wire1"]
    assert story_ids(client.get("/stories?q=милиции&outlet=24kg").text) == ["a-wire2"]
    broken = client.get("/stories?q=милиции AND (")
    assert broken.status_code == 200 and story_ids(broken.text) == []
    assert "The search could not be run" in broken.text


def test_a_bad_filter_is_one_line_naming_it(client: TestClient) -> None:
    answer = client.get("/stories?from=yesterday")
    assert answer.status_code == 400
    assert "from=&#39;yesterday&#39; is not a date; write it as YYYY-MM-DD" in answer.text


def test_matches_are_marked_per_topic_and_say_which_query_term_fired(client: TestClient) -> None:
    page = client.get("/stories/a-evil").text
    assert re.search(r'<mark class="topic-2" title="Torture and ill-treatment">пыткам</mark>', page)
    assert re.search(r'<mark class="topic-0" title="Police and security services">милиции</mark>',
                     page)
    assert '<code class="term">пытка*</code> → пыткам' in page
    # a tag the borderline model decided says so, and only that one
    assert page.count("decided by the borderline model") == 1
    assert "(score 3; decided by the borderline model, probability 0.83)" in page
    # The hostile headline is text, never markup.
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in page
    assert "<script>document.title" not in page


def test_story_page_shows_reprint_versions_and_the_archived_copy(client: TestClient,
                                                                 workspace: dict) -> None:
    page = client.get("/stories/a-wire1").text
    assert '<a href="/stories/a-wire2">Участников акции у мэрии Бишкека задержали</a>' in page
    assert "<del>двенадцать</del><ins>двадцать</ins>" in page
    assert "<ins> Организаторов оштрафовали.</ins>" in page
    assert f'href="/archive/{workspace["captures"]["a-wire1"]}"' in page
    assert f'href="/archive/{workspace["captures"]["revisit"]}"' in page
    assert 'id="live" href="https://example.test/kloop/a-wire1"' in page
    assert EDITED_TEXT not in page  # the story's stored text is the first version's


def test_archived_copy_is_inert_and_its_record_downloads_whole(client: TestClient,
                                                                workspace: dict) -> None:
    capture = workspace["captures"]["a-hostile"]
    page = client.get(f"/archive/{capture}").text
    assert f'src="/archive/{capture}/page" sandbox=""' in page
    assert "https://example.test/kloop/a-hostile" in page
    frame = client.get(f"/archive/{capture}/page")
    assert frame.headers["content-security-policy"] == ARCHIVE_FRAME_CSP
    assert "<script" not in frame.text.lower() and "onerror" not in frame.text.lower()
    assert "Родственники задержанного заявили" in frame.text
    record = client.get(f"/archive/{capture}/record.warc.gz")
    assert record.headers["content-type"] == "application/warc"
    assert "attachment" in record.headers["content-disposition"]
    records = list(ArchiveIterator(io.BytesIO(record.content)))
    assert [r.rec_headers.get_header("WARC-Target-URI") for r in records] == [
        "https://example.test/kloop/a-hostile"]
    assert gzip.decompress(record.content).count(b"WARC/1") == 1


@pytest.mark.parametrize("fmt", ["csv", "json", "parquet"])
def test_exports_of_the_selection_open_in_duckdb(client: TestClient, tmp_path: Path,
                                                 fmt: str) -> None:
    answer = client.get(f"/stories.{fmt}?topic=police&country=KG")
    assert answer.status_code == 200
    assert answer.headers["content-disposition"].endswith(f'.{fmt}"')
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(answer.content)
    reader = {"csv": "read_csv", "json": "read_json", "parquet": "read_parquet"}[fmt]
    ids = [r[0] for r in duckdb.sql(f"SELECT article_id FROM {reader}('{path}')").fetchall()]
    assert ids == ["a-wire2", "a-wire1", "a-evil", "a-hostile"]
    assert client.get("/stories.xml").status_code == 404


def test_the_json_export_is_sent_as_it_is_encoded_and_reads_as_one_array(
        monkeypatch: pytest.MonkeyPatch) -> None:
    records = [{"article_id": f"a-{i}", "title": "Задержали «активистов»", "text": "x" * 300,
                "published_at": datetime(2026, 11, 30, 9, i, tzinfo=UTC), "topics": ["police"],
                "top_score": 0.5 + i} for i in range(20)]
    monkeypatch.setattr(stories_pages, "JSON_CHUNK", 1000)
    chunks = list(stories_pages._json_chunks(records))
    assert len(chunks) > 3  # sent in pieces, not written whole first
    assert b"".join(chunks).decode() == json.dumps(records, ensure_ascii=False, default=str,
                                                   indent=1)
    assert b"".join(stories_pages._json_chunks([])) == b"[]"


def test_pages_read_on_one_kept_reader(client: TestClient) -> None:
    access = client.app.state.web.access
    assert client.get("/stories").status_code == 200
    opened = access.readers_opened
    for path in ["/stories?q=милиции", "/sources", "/runs", "/stories.csv?topic=police",
                 "/stories.parquet", "/stories.json", "/stories/a-wire1", "/corrections"]:
        assert client.get(path).status_code == 200, path
    assert access.readers_opened == opened


def test_a_writer_of_the_same_process_finds_the_kept_reader_gone(client: TestClient,
                                                                 workspace: dict) -> None:
    """A library caller beside the app (docs/API.md) writes right after a page: DuckDB
    refuses a second configuration of a file in one process, so the kept reader steps aside."""
    assert client.get("/stories").status_code == 200
    with open_warehouse(workspace["data"], wait_seconds=1, create=False) as con:
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] > 0
    assert client.get("/stories").status_code == 200  # and the pages read on


# Every shape of filter the stories page can send: each filter alone, and all at once.
FILTER_SHAPES = [
    StoryFilter(), StoryFilter(matched_only=False), StoryFilter(topics=("police",)),
    StoryFilter(topics=("torture", "protest"), matched_only=False),
    StoryFilter(country="KG"), StoryFilter(country="TJ", matched_only=False),
    StoryFilter(outlet="kloop", language="ru"), StoryFilter(language="en"),
    StoryFilter(day_from=date(2026, 11, 28)), StoryFilter(day_to=date(2026, 11, 29)),
    StoryFilter(topics=("police",), country="KG", outlet="kloop",
                day_from=date(2026, 11, 1), day_to=date(2026, 12, 1))]


def test_filters_left_out_when_empty_select_the_same_stories(workspace: dict) -> None:
    """warehouse.stories.filtered drops the filters whose parameter is empty; the statement
    with all of them in must give the same rows and count, for every shape of filter."""
    with open_readonly(workspace["data"]) as con:
        for shape in FILTER_SHAPES:
            for ids in (None, [], ["a-wire1", "a-evil", "a-plain", "nope"]):
                params = shape.params(ids)
                page = {**params, "offset": 0, "limit": 100}
                every = statement("stories/selected")  # all the filters in
                whole = con.execute(every + statement("stories/page_of"), page).fetchall()
                assert con.execute(*filtered("stories/selected", page, statement(
                    "stories/page_of"))).fetchall() == whole, (shape, ids)
                total = con.execute(every + statement("stories/count_of"), params).fetchone()
                assert con.execute(*filtered("stories/selected", params, statement(
                    "stories/count_of"))).fetchone() == total
                assert total[0] == len(whole), (shape, ids)
            assert len(story_query("count", None, shape.params(None))[1]) < len(params)


def _form(page: str) -> dict[str, str]:
    return {name: value for name, value in
            re.findall(r'<input type="hidden" name="(csrf|key)" value="([^"]+)"', page)}


def test_a_correction_is_stored_once_and_exported_for_eval(client: TestClient, workspace: dict,
                                                           tmp_path: Path) -> None:
    form = _form(client.get("/stories/a-tj").text)
    fields = {**form, "topic": "police", "verdict": "missing", "note": "<b>omon</b> detained"}
    for _ in range(2):  # a double click
        answer = client.post("/stories/a-tj/corrections", data=fields, follow_redirects=False)
        assert answer.status_code == 303
    assert answer.headers["location"] == "/stories/a-tj?correction=already#corrections"
    with open_readonly(workspace["data"]) as con:
        rows = con.execute("SELECT topic, verdict, note FROM tag_feedback "
                           "WHERE article_id = 'a-tj'").fetchall()
    assert rows == [("police", "missing", "<b>omon</b> detained")]
    listed = client.get("/corrections").text
    assert "&lt;b&gt;omon&lt;/b&gt; detained" in listed and "this topic is missing" in listed
    exported = client.get("/corrections.jsonl").text.splitlines()
    example = next(json.loads(line) for line in exported if json.loads(line)["id"] == "a-tj")
    assert example["topics"] == ["police", "protest"]
    labelled = tmp_path / "corrections.jsonl"
    labelled.write_text("\n".join(exported) + "\n", encoding="utf-8")
    result = invoke(["tag", "--eval", str(labelled)])
    assert result.returncode == 0, result.stderr
    assert "police" in result.stdout


def test_stories_to_check_are_the_near_misses_likeliest_first(client: TestClient,
                                                              workspace: dict) -> None:
    """A topic's query matched these stories without tagging them: listed with what it
    matched, escaped, apart from the tags, and each links to its story with the topic to
    check preselected as missing."""
    page = client.get("/missed").text
    assert re.findall(r'data-article="([^"]+)" data-topic="([^"]+)"', page) == [
        ("a-plain", "protest"), ("a-evil", "protest")]  # probability 0.31, then none
    assert "<code class=\"term\">жител*</code> → Жители" in page
    assert "the borderline model&#39;s probability 0.31" in page
    assert "decided by the borderline model" not in page  # it decided against the tag
    assert MALICIOUS_TITLE not in page and "<script>" not in page
    assert "&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;" in page
    assert story_ids(client.get("/stories").text).count("a-plain") == 0  # no tag came of it
    assert 'href="/stories/a-plain?check=protest#corrections"' in page
    story = client.get("/stories/a-plain?check=protest").text
    assert 'id="near"' in story and "Жители" in story
    assert '<option value="protest" selected>' in story
    assert re.search(r'value="missing" checked', story)
    assert not re.search(r'value="missing" checked', client.get("/stories/a-plain").text)
    assert story_near_ids(client.get("/missed?topic=police").text) == []
    assert story_near_ids(client.get("/missed?lang=ru&from=2000-01-01").text) == [
        "a-plain", "a-evil"]
    assert client.get("/missed?topic=weather").status_code == 400
    assert "topic=&#39;weather&#39; is not a topic" in client.get("/missed?topic=weather").text
    with open_readonly(workspace["data"]) as con:
        assert con.execute("SELECT count(*) FROM article_topics WHERE article_id = 'a-plain'"
                           ).fetchone() == (0,)


def story_near_ids(page: str) -> list[str]:
    return re.findall(r'<li class="story near-miss" data-article="([^"]+)"', page)


def test_a_correction_without_the_sites_token_is_refused(client: TestClient,
                                                          workspace: dict) -> None:
    form = _form(client.get("/stories/a-evil").text)
    fields = {**form, "topic": "torture", "verdict": "wrong"}
    forged = client.post("/stories/a-evil/corrections", data={**fields, "csrf": "x" * 43},
                         follow_redirects=False)
    assert forged.status_code == 403
    cross_site = client.post("/stories/a-evil/corrections", data=fields,
                             headers={"sec-fetch-site": "cross-site"}, follow_redirects=False)
    assert cross_site.status_code == 403
    with open_readonly(workspace["data"]) as con:
        assert con.execute("SELECT count(*) FROM tag_feedback "
                           "WHERE article_id = 'a-evil'").fetchone()[0] == 0


def test_beyond_loopback_the_token_is_required(workspace: dict,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(CONFIG, workspace["data"])
    monkeypatch.delenv("STEPPEWATCH_WEB_TOKEN", raising=False)
    with pytest.raises(TokenMissing, match="set STEPPEWATCH_WEB_TOKEN"):
        create_app(settings, "0.0.0.0")
    monkeypatch.setenv("STEPPEWATCH_WEB_TOKEN", "s3cret-token-of-the-desk")
    guarded = TestClient(create_app(settings, "0.0.0.0"))
    assert guarded.get("/stories").status_code == 401
    assert guarded.get("/stories", auth=("monitor", "wrong")).status_code == 401
    assert guarded.get("/stories", auth=("monitor", "s3cret-token-of-the-desk")).status_code == 200
    bearer = {"authorization": "Bearer s3cret-token-of-the-desk"}
    assert guarded.get("/sources", headers=bearer).status_code == 200


def test_the_interface_switches_to_russian(client: TestClient) -> None:
    switched = client.get("/language/ru?next=/sources", follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/sources"
    page = client.get("/sources").text
    assert "Источники" in page and "Кыргызстан" in page and "Sources —" not in page
    assert client.get("/language/ru?next=https://evil.example/",
                      follow_redirects=False).headers["location"] == "/"


def test_sources_and_runs_speak_plain_words(client: TestClient) -> None:
    page = client.get("/sources").text
    assert "Kloop" in page and "working" in page and "{" not in page.split("<tbody>")[1]
    runs = client.get("/runs").text
    assert f'href="/runs/{RUN_ID}"' in runs and f"/reports/{RUN_ID}-rights.html" in runs
    assert "replay (offline copy)" in runs and "completed" in runs
    reports = client.get("/reports").text
    assert f'src="/reports/{RUN_ID}-rights.html" sandbox=""' in reports
    report = client.get(f"/reports/{RUN_ID}-rights.html")
    assert "sandbox" in report.headers["content-security-policy"]


def test_one_run_and_one_source_are_read_alone_as_the_lists_give_them(workspace: dict) -> None:
    with open_readonly(workspace["data"]) as con:
        outlets, runs = source_overview(con), run_history(con)
        assert outlets and runs
        for row in outlets:
            assert source_detail(con, row["source_id"]) == row
        for row in runs:
            assert run_detail(con, row["run_id"]) == row
        assert source_detail(con, "nope") is None and run_detail(con, "nope") is None


def test_an_unknown_run_or_source_is_a_404_with_one_readable_line(client: TestClient) -> None:
    lines = {"en": {"/runs/nope": "No run with this id.",
                    "/sources/nope": "No source with this id."},
             "ru": {"/runs/nope": "Запуска с таким идентификатором нет.",
                    "/sources/nope": "Источника с таким идентификатором нет."}}
    for lang, pages in lines.items():
        client.cookies.set("ui", lang)
        for path, line in pages.items():
            answer = client.get(path)
            assert answer.status_code == 404, path
            main = re.search(r"<main>(.*)</main>", answer.text, re.S).group(1)
            assert main.strip() == f'<p class="notice">{line}</p>', (path, main)


def test_a_search_chooses_its_page_from_the_hits_with_the_same_result(workspace: dict) -> None:
    """With a search's ids, list_stories and the exports select from stories/selected_hits
    (the page chosen from the hits alone); they must give the same stories, order and count
    as stories/selected over every article, for each shape of filter."""
    from warehouse.search import search_scores
    from warehouse.stories import export_statement, list_stories

    with open_readonly(workspace["data"]) as con:
        every = [row[0] for row in con.execute("SELECT article_id FROM articles").fetchall()]
        searches = [list(search_scores(con, query)) for query in ("милиции", "Душанбе", "пытки")]
        assert all(searches)
        id_lists = [None, [], ["a-wire1", "a-evil", "a-plain", "nope", "a-evil"], every,
                    *searches]
        compared = 0
        for shape in FILTER_SHAPES:
            for ids in id_lists:
                params = shape.params(ids)
                old = con.execute(*filtered("stories/selected", {**params, "offset": 0,
                                                                 "limit": 100},
                                            statement("stories/page_of"))).fetchall()
                total = con.execute(*filtered("stories/selected", params,
                                              statement("stories/count_of"))).fetchone()[0]
                assert total == len(old)
                for offset, limit in ((0, 100), (0, 2), (1, 2), (3, 50)):
                    page = list_stories(con, shape, ids, offset=offset, limit=limit)
                    assert page.total == total, (shape, ids)
                    assert ([list(vars(r).values())[:-1] for r in page.stories]
                            == [list(row) for row in old[offset:offset + limit]]), (shape, ids)
                assert con.execute(*export_statement(shape, ids)).fetchall() == old
                compared += bool(old) and ids is not None
        assert compared > 20
