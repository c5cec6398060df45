"""Stories that change or vanish, across four nights of one outlet (kloop) on the replay web
as it changes (tests/replay/changed, then changed-later and restored over it): edits, a new
headline, takedowns by 404, by a redirect to the home page and by a "page not found" page
answered 200, a story down for one check only, and a takedown undone. Without Prefect
(flows.run_night), real Scrapy on loopback, real DuckDB, alerts to the file channel and a
webhook on loopback."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from crawlers.replay_server import ReplayServer
from crawlers.warc import read_response
from flows import run_night
from flows.settings import load_settings
from flows.web.app import create_app
from tests.helpers import CONFIG, ROOT, SITES, http_endpoint
from warehouse.connection import open_readonly

CHANGED = ROOT / "tests" / "replay" / "changed"
LATER = ROOT / "tests" / "replay" / "changed-later"
RESTORED = ROOT / "tests" / "replay" / "restored"
BLOG = "https://kloop.kg/blog/2026/11/"
EDITED = BLOG + "17/ntspp-v-sizo-i-koloniyah-prodolzhayut-fiksirovat-zhaloby-na-pytki/"
RETITLED = BLOG + "26/kyrgyzskiy-film-shamal-poluchil-priz-v-talline/"
GONE_404 = BLOG + "06/umer-v-ivs-rodstvenniki-zhitelya-osha-zayavlyayut-o-pytkah/"
REDIRECTED = BLOG + "10/shahtyory-kara-keche-obyavili-zabastovku/"
SOFT_404 = BLOG + "21/mobilnyy-operator-zapuskaet-novogodnyuyu-aktsiyu/"
OUTAGE = BLOG + "03/v-bishkeke-zaderzhali-uchastnikov-aktsii-protiv-vyrubki-derevyev/"
BOILERPLATE = BLOG + "02/abdysh-ata-podal-protest-na-rezultat-matcha-s-dordoem/"
# The replay's states and the clock of each night: a week apart (every story is due), then
# a day (the stories found gone are checked again at once), then a day (a story removed a
# day ago is due again).
NIGHTS = (((), "2026-11-28T03:00:00+00:00"),
          ((CHANGED,), "2026-12-05T03:00:00+00:00"),
          ((CHANGED, LATER), "2026-12-06T03:00:00+00:00"),
          ((CHANGED, LATER, RESTORED), "2026-12-07T03:00:00+00:00"))
HOOK_ENV = "STEPPEWATCH_TEST_CHANGES_HOOK"


def settings_text() -> str:
    """The project's settings: every kloop story in the revisit windows, the rule asking for
    edits and removals, to the file channel and a webhook."""
    text = (CONFIG / "settings.toml").read_text("utf-8")
    for key, value in (("revisit_matched_days", "60"), ("revisit_window_days", "60"),
                       ("revisit_times", "5"), ("sites", f'"{SITES}"')):
        text = re.sub(rf"(?m)^{key} = .*$", f"{key} = {value}", text)
    text = re.sub(r'(?m)^channels = \["file"\].*$',
                  'changes = ["edited", "removed"]\nchannels = ["file", "hook"]', text, count=1)
    return text + f'\n[alerts.channels.hook]\ntype = "webhook"\nurl_env = "{HOOK_ENV}"\n'


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("story-changes")
    config = tmp / "config"
    config.mkdir()
    for name in ("sources.toml", "topics.toml", "places.toml"):
        shutil.copy(CONFIG / name, config / name)
    (config / "settings.toml").write_text(settings_text(), "utf-8")
    data = tmp / "data"
    runs = []
    with http_endpoint() as hook, ReplayServer(SITES) as replay:
        os.environ[HOOK_ENV] = hook.url + "/hooks/changes"
        try:
            for overlays, now in NIGHTS:
                replay.serve_state(overlays)
                runs.append(run_night(config, data, replay_address=replay.address,
                                      only_sources=["kloop"], mode="replay", now=now).run_id)
        finally:
            del os.environ[HOOK_ENV]
        posts = [post["json"]["text"] for post in hook.posts]
    return {"data": data, "runs": runs, "posts": posts}


def query(data: Path, sql: str, params: dict | None = None) -> list[tuple]:
    # as the workspace reads (same configuration): its kept reader may be open in-process
    with open_readonly(data, fts=False) as con:
        return con.execute(sql, params or {}).fetchall()


def changes(data: Path) -> list[tuple]:
    return query(data, "select a.url, c.kind, c.reason, c.run_id, c.evidence from story_changes c "
                       "join articles a using (article_id) order by a.url, c.kind")


def test_each_change_is_found_once_on_the_right_night(nights: dict) -> None:
    _first, second, third, fourth = nights["runs"]
    found = [(url, kind, reason, run) for url, kind, reason, run, _e in changes(nights["data"])]
    assert found == [
        (GONE_404, "removed", "http_404", third),
        (GONE_404, "restored", None, fourth),
        (REDIRECTED, "removed", "redirected", third),
        (EDITED, "edited", None, second),
        (SOFT_404, "removed", "soft_404", third),
        (RETITLED, "headline", None, second),
    ]


def test_each_change_carries_its_archived_evidence(nights: dict) -> None:
    data = nights["data"]
    _first, second, third, fourth = nights["runs"]
    evidence = {(url, kind): json.loads(e) for url, kind, _r, _run, e in changes(data)}
    answers = {key: [(e["run_id"], e["url"], e["http_status"]) for e in items]
               for key, items in evidence.items()}
    assert answers[(GONE_404, "removed")] == [(second, GONE_404, 404), (third, GONE_404, 404)]
    assert answers[(GONE_404, "restored")] == [(third, GONE_404, 404),
                                                (fourth, GONE_404, 304)]  # as it was
    assert answers[(REDIRECTED, "removed")] == [
        (second, REDIRECTED, 301), (second, "https://kloop.kg/", 200),
        (third, REDIRECTED, 301), (third, "https://kloop.kg/", 200)]
    assert answers[(SOFT_404, "removed")] == [(second, SOFT_404, 200), (third, SOFT_404, 200)]
    assert [(url, status) for _run, url, status in answers[(EDITED, "edited")]] == [
        (EDITED, 200), (EDITED, 200)]
    for items in evidence.values():  # each answer reads back from the archive as it came
        for e in items:
            stored = read_response(data, e["warc_file"], e["warc_offset"])
            assert stored.status == e["http_status"] and stored.url == e["url"]
    soft = evidence[(SOFT_404, "removed")][-1]
    assert "Страница не найдена" in read_response(data, soft["warc_file"],
                                                  soft["warc_offset"]).body.decode("utf-8")


def test_the_edited_texts_are_both_kept_and_the_headlines_named(nights: dict) -> None:
    (before, after), = query(nights["data"], "select p.text, n.text from story_changes c "
                                             "join article_versions p on p.article_id = "
                                             "c.article_id and p.text_sha1 = c.previous_sha1 "
                                             "join article_versions n on n.article_id = "
                                             "c.article_id and n.text_sha1 = c.new_sha1 "
                                             "where c.kind = 'edited'")
    assert "46 жалоб на пытки" in before and "46 жалоб на пытки" not in after
    assert "ряд обращений" in after
    assert query(nights["data"], "select previous_title, new_title from story_changes "
                                 "where kind = 'headline'") == [
        ("Кыргызский фильм «Шамал» получил приз на кинофестивале в Таллине",
         "Фильм «Шамал» из Кыргызстана получил главный приз в Таллине")]


def test_a_page_down_for_one_check_is_never_removed(nights: dict) -> None:
    checks = query(nights["data"], "select k.state, k.http_status from article_checks k "
                                   "join articles a using (article_id) where a.url = $url "
                                   "order by k.checked_at", {"url": OUTAGE})
    assert checks[0] == ("gone", 410) and checks[1][0] in ("present", "not_modified")
    assert [row for row in changes(nights["data"]) if row[0] == OUTAGE] == []


def test_boilerplate_and_whitespace_changes_are_not_an_edit(nights: dict) -> None:
    versions = query(nights["data"], "select v.text from article_versions v join articles a "
                                     "using (article_id) where a.url = $url "
                                     "order by v.extracted_at", {"url": BOILERPLATE})
    assert len(versions) == 2 and "Просмотров: 2 318" in versions[1][0]  # a new raw text
    assert [row for row in changes(nights["data"]) if row[0] == BOILERPLATE] == []  # no edit


def test_unchanged_stories_are_asked_for_conditionally(nights: dict) -> None:
    _first, second, _third, _fourth = nights["runs"]
    rows = query(nights["data"], "select a.url, k.state, k.http_status from article_checks k "
                                 "join articles a using (article_id) where k.run_id = $run",
                 {"run": second})
    unchanged = [(state, status) for url, state, status in rows
                 if url.startswith((BLOG + "08/", BLOG + "12/", BLOG + "14/", BLOG + "19/",
                                    BLOG + "24/"))]
    assert unchanged == [("not_modified", 304)] * 5
    assert len(rows) == 12  # every story of the outlet was due a week later


def test_each_change_of_a_matched_story_is_alerted_once_per_channel(nights: dict) -> None:
    data = nights["data"]
    _first, second, third, fourth = nights["runs"]
    delivered = query(data, "select d.channel, a.url, c.kind, d.run_id from alert_deliveries d "
                            "join story_changes c on c.change_id = d.article_id "
                            "join articles a on a.article_id = c.article_id "
                            "where d.rule = 'all-topics.changes' order by all")
    expected = [(GONE_404, "removed", third), (GONE_404, "restored", fourth),
                (REDIRECTED, "removed", third),
                (EDITED, "edited", second)]  # the headline and the soft 404: unmatched stories
    assert delivered == sorted([(channel, *row) for channel in ("file", "hook")
                                for row in expected])
    assert query(data, "select channel, count(*) from alert_outbox where rule = "
                       "'all-topics.changes' and status = 'sent' group by all order by all") == [
        ("file", 3), ("hook", 3)]
    posts = [text for text in nights["posts"] if "all-topics-changes" in text]
    assert len(posts) == 3
    assert "Text edited" in posts[0] and "Removed" not in posts[0]
    assert posts[1].count("Removed") == 2 and "404 Not Found" in posts[1]
    assert "Restored" in posts[2] and "Removed" not in posts[2]


def test_the_reports_show_the_words_changed_and_the_removals(nights: dict) -> None:
    reports = nights["data"] / "reports"
    _first, second, third, _fourth = nights["runs"]
    edit = (reports / f"{second}-all-topics-changes.md").read_text("utf-8")
    assert "## Text edited:" in edit and "~~46~~ **ряд**" in edit
    removal = (reports / f"{third}-all-topics-changes.md").read_text("utf-8")
    assert "## Removed:" in removal and "the page answers 404 Not Found" in removal
    assert "HTTP 301 for https://kloop.kg/blog/2026/11/10/" in removal
    page = (reports / f"{second}-all-topics-changes.html").read_text("utf-8")
    assert "<del>46</del>" in page and "<ins>ряд</ins>" in page


def test_the_story_page_lists_the_changes_with_their_archived_answers(nights: dict) -> None:
    data = nights["data"]
    ((removed_id, evidence),) = query(data, "select c.article_id, c.evidence from story_changes c "
                                            "join articles a using (article_id) where a.url = $url "
                                            "and c.kind = 'removed'", {"url": GONE_404})
    client = TestClient(create_app(load_settings(CONFIG, data)))
    page = client.get(f"/stories/{removed_id}").text
    section = page[page.index('<section class="found-changes"'):]
    assert "removed" in section and "the page answers 404 Not Found" in section
    assert "restored" in section  # and back a day later
    for capture in json.loads(evidence):
        assert f'href="/archive/{capture["capture_id"]}">HTTP 404</a>' in section
        assert client.get(f"/archive/{capture['capture_id']}").status_code == 200
    unchanged = query(data, "select article_id from articles where url = $url",
                      {"url": BOILERPLATE})[0][0]
    assert 'class="found-changes"' not in client.get(f"/stories/{unchanged}").text
