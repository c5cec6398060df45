"""Stories that change or vanish, without a crawl: what counts as an edit, when a removal is
confirmed, restorations; the revisit schedule over a warehouse built from rows; the replay
web's later states; the `changes` key of an alert rule."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawlers.replay_server import SiteStore
from crawlers.revisits import says_not_found
from flows.alerts.changes import ChangeReport, RenderedChanges, StoryChange, compose
from flows.alerts.channels import build_channel
from flows.changes import article_text, changes_of
from flows.settings import AlertChannel, SettingsError, load_settings
from tests.helpers import config_dir, invoke
from warehouse.changes import Check
from warehouse.connection import open_warehouse
from warehouse.crawl_state import RevisitSchedule, due_revisits

TEXT = ("Центр получил 46 жалоб на пытки.\nВ ГСИН заявили, что проводятся проверки.\n"
        "Поделиться 12\nЧитайте также: Шахтёры объявили забастовку")


def known(**values: object) -> dict:
    """What earlier runs know of article a1 (changes/history.sql's row)."""
    return {"text_sha1": "v1", "title": "Заголовок", "capture_id": "c0", "last_state": "present",
            "last_capture_id": "c1", "last_final_capture_id": None, "removed": False,
            **values}


def test_counters_related_links_and_whitespace_are_not_article_text() -> None:
    counted = TEXT.replace("Поделиться 12", "Поделиться 340").replace(
        "Шахтёры объявили забастовку", "Курс доллара вырос")
    assert article_text(counted) == article_text(TEXT)
    assert article_text("  Центр  получил 46 жалоб\tна пытки.\n\n" + TEXT.split("\n", 1)[1]) \
        == article_text(TEXT)
    assert article_text(TEXT.replace("46 жалоб", "ряд обращений")) != article_text(TEXT)


def test_a_changed_text_is_an_edit_and_boilerplate_is_not() -> None:
    check = Check("a1", "present", http_status=200, capture_id="c2", final_capture_id="c2",
                  text_sha1="v2", title="Заголовок")
    edited = {("a1", "v1"): TEXT, ("a1", "v2"): TEXT.replace("46 жалоб", "ряд обращений")}
    (change,) = changes_of(check, known(), edited)
    assert (change.kind, change.previous_sha1, change.new_sha1, change.evidence) == (
        "edited", "v1", "v2", ("c0", "c2"))
    counters = {("a1", "v1"): TEXT, ("a1", "v2"): TEXT.replace("Поделиться 12", "Поделиться 13")}
    assert changes_of(check, known(), counters) == []


def test_a_new_headline_is_its_own_change() -> None:
    check = Check("a1", "present", capture_id="c2", text_sha1="v1", title="Другой  заголовок")
    (change,) = changes_of(check, known(), {("a1", "v1"): TEXT})
    assert (change.kind, change.previous_title, change.new_title) == (
        "headline", "Заголовок", "Другой  заголовок")
    spaced = Check("a1", "present", capture_id="c2", text_sha1="v1", title=" Заголовок ")
    assert changes_of(spaced, known(), {("a1", "v1"): TEXT}) == []


def test_a_removal_is_confirmed_on_the_second_check_only() -> None:
    gone = Check("a1", "gone", reason="http_404", http_status=404, capture_id="c2")
    assert changes_of(gone, known(), {}) == []  # first time gone: not yet
    (removed,) = changes_of(gone, known(last_state="gone", last_capture_id="c1"), {})
    assert (removed.kind, removed.reason, removed.evidence) == ("removed", "http_404",
                                                                ("c1", "c2"))
    assert changes_of(gone, known(last_state="gone", removed=True), {}) == []  # said once


def test_a_page_back_after_one_failed_check_is_neither_removed_nor_restored() -> None:
    back = Check("a1", "not_modified", http_status=304, capture_id="c3", text_sha1="v1",
                 title="Заголовок")
    assert changes_of(back, known(last_state="gone"), {("a1", "v1"): TEXT}) == []


def test_a_page_back_after_a_removal_is_restored() -> None:
    back = Check("a1", "present", capture_id="c3", final_capture_id="c3", text_sha1="v1",
                 title="Заголовок")
    (restored,) = changes_of(back, known(last_state="gone", last_capture_id="c2",
                                         removed=True), {("a1", "v1"): TEXT})
    assert (restored.kind, restored.evidence) == ("restored", ("c2", "c3"))


def test_a_page_not_found_says_so_in_its_title_or_heading_and_a_story_does_not() -> None:
    assert says_not_found("<title>Страница не найдена – Kloop</title>".encode())
    assert says_not_found("<h1 class='x'>Ошибка 404</h1>".encode())
    assert says_not_found(b"<title>Page not found | Eurasianet</title>")
    assert says_not_found(b"<title>Sahifa topilmadi!</title>")
    assert not says_not_found("<title>Пропавший мальчик не найден – Kloop</title>"
                              "<h1>Пропавший мальчик не найден</h1>".encode())
    assert not says_not_found(b"<title>Bishkek court: evidence not found in torture case</title>")


# ------------------------------------------------------------------ the schedule

NOW = datetime(2026, 12, 5, 3, tzinfo=UTC)


def schedule_warehouse(data: Path) -> None:
    """Stories of one host fetched first at FIRST, some checked since (article_checks)."""
    first = NOW - timedelta(days=1)
    con = open_warehouse(data)
    con.execute("insert into crawl_runs (run_id, started_at, mode, status) values "
                "('r1', $at, 'replay', 'completed')", {"at": first})
    stories = {  # id: (age in days at NOW, matched)
        "young": (2, False), "recent": (2.5, False), "old": (10, False), "matched": (20, True),
        "month": (40, True)}
    for article_id, (age, matched) in stories.items():
        con.execute("insert into articles values ($id, $url, null, 'kloop', 'c-' || $id, 't', "
                    "'text', null, $published, 'ru', null, null, 's1', 'r1', $published)",
                    {"id": article_id, "url": f"https://kloop.kg/{article_id}",
                     "published": NOW - timedelta(days=age)})
        if matched:
            con.execute("insert into article_topics (article_id, topic, score, matches, "
                        "topics_version, run_id, tagged_at) values ($id, 'police', 1, '[]', "
                        "'v1', 'r1', $at)", {"id": article_id, "at": first})
    con.close()


def due(data: Path, **schedule: int) -> list[str]:
    with open_warehouse(data) as con:
        urls = due_revisits(con, NOW, RevisitSchedule(**schedule))
    return [url.rsplit("/", 1)[1] for url in urls]


def check(data: Path, article_id: str, state: str, hours_ago: float) -> None:
    with open_warehouse(data) as con:
        con.execute("insert into article_checks values ($id, $run, $at, $state, null, 200, "
                    "null, null, null, null)",
                    {"id": article_id, "run": f"check-{hours_ago}", "state": state,
                     "at": NOW - timedelta(hours=hours_ago)})


def test_stories_are_checked_often_while_young_and_rarely_when_old(tmp_path: Path) -> None:
    schedule_warehouse(tmp_path)
    # Fetched 24 h ago: the young ones are due; a 20-day-old matched story waits
    # 0.25 × 20 days = 5 days; 10-day-old and unmatched, or 40 days old: not checked at all.
    assert due(tmp_path) == ["recent", "young"]
    assert due(tmp_path, window_days=30) == ["recent", "young"]  # 10 days old: waits 60 h
    check(tmp_path, "matched", "present", 121)
    assert "matched" in due(tmp_path)  # its 5 days have passed


def test_unmatched_stories_are_checked_within_a_budget_per_host(tmp_path: Path) -> None:
    schedule_warehouse(tmp_path)
    assert due(tmp_path, per_host=1) == ["young"]  # the newest first
    check(tmp_path, "young", "present", 30)
    assert due(tmp_path, per_host=1) == ["recent"]  # young had its one check (revisits = 1)


def test_a_story_found_gone_is_checked_again_on_the_next_run(tmp_path: Path) -> None:
    schedule_warehouse(tmp_path)
    check(tmp_path, "month", "gone", 1)  # an hour ago, and far outside its window
    assert "month" in due(tmp_path)


# ------------------------------------------------------------------ the replay over time

def site(root: Path, files: dict[str, str], rules: str = "") -> Path:
    for name, text in files.items():
        (root / "x.example" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "x.example" / name).write_text(text, "utf-8")
    (root / "x.example").mkdir(parents=True, exist_ok=True)
    (root / "x.example" / "_replay.toml").write_text(rules, "utf-8")
    return root


def test_overlays_replace_files_take_pages_away_and_give_them_back(tmp_path: Path) -> None:
    sites = site(tmp_path / "sites", {"a.html": "first", "b.html": "stays", "c.html": "gone"})
    changed = site(tmp_path / "changed", {"a.html": "edited"},
                   '[paths."/c.html"]\nstatus = 404\ndeleted = true\n')
    later = site(tmp_path / "later", {}, '[paths."/c.html"]\nstatus = 200\n')

    def answer(*overlays: Path) -> list[tuple[int, bytes]]:
        store = SiteStore(sites, overlays)
        return [(r.status, r.body) for r in (store.reply("x.example", p, {})
                                              for p in ("/a.html", "/b.html", "/c.html"))]

    assert answer() == [(200, b"first"), (200, b"stays"), (200, b"gone")]
    assert answer(changed)[:2] == [(200, b"edited"), (200, b"stays")]
    assert answer(changed)[2][0] == 404 and b"gone" not in answer(changed)[2][1]
    assert answer(changed, later) == [(200, b"edited"), (200, b"stays"), (200, b"gone")]


def test_the_demo_serves_the_overlays_its_settings_name(tmp_path: Path) -> None:
    config = config_dir(tmp_path, extra_rules="")
    settings = (config / "settings.toml").read_text("utf-8")
    (config / "settings.toml").write_text(settings.replace(
        "[replay]\n", '[replay]\noverlays = ["tests/replay/changed"]\n'), "utf-8")
    assert load_settings(config).replay.overlays == ("tests/replay/changed",)
    (config / "settings.toml").write_text(settings.replace(
        "[replay]\n", '[replay]\noverlays = ["no/such/state"]\n'), "utf-8")
    refused = invoke(["--config", str(config), "--data", str(tmp_path / "data"), "demo"],
                     check=False)
    assert refused.returncode != 0 and "'no/such/state' is not a folder" in refused.stderr


def test_a_rule_may_ask_for_edits_and_removals_only(tmp_path: Path) -> None:
    (tmp_path / "good").mkdir()
    (tmp_path / "bad").mkdir()
    good = config_dir(tmp_path / "good", extra_rules='changes = ["edited", "removed"]')
    assert load_settings(good).alerts.rules[0].changes == ("edited", "removed")
    bad = config_dir(tmp_path / "bad", extra_rules='changes = ["deleted"]')
    with pytest.raises(SettingsError, match="'deleted' is not a kind of change"):
        load_settings(bad)


# ------------------------------------------------------------------ change messages

HOSTILE = '<script>alert(1)</script> Пытки в ИВС *скрыты* [x](javascript:alert(1))'


def change_report() -> RenderedChanges:
    when = datetime(2026, 12, 5, 3, tzinfo=UTC)
    evidence = [{"capture_id": "c1", "url": "https://kloop.kg/a/", "http_status": 404,
                 "run_id": "r2", "fetched_at": when.isoformat(), "warc_file": "warc/r2/k.warc.gz",
                 "warc_offset": 10}]
    edited = StoryChange("ch1", "edited", HOSTILE, "javascript:alert(1)", "Kloop", when, None,
                         None, None, evidence,
                         [("same", "Центр получил "), ("removed", "46 жалоб"),
                          ("added", "ряд обращений"), ("same", " заключённых.")])
    removed = StoryChange("ch2", "removed", "Умер в ИВС", "https://kloop.kg/a/", "Kloop", when,
                          "Умер в ИВС", None, "http_404", evidence)
    return RenderedChanges(ChangeReport("rights-changes", "r2", when, [edited, removed]))


def test_change_messages_show_scraped_text_as_text_in_every_channel(tmp_path: Path) -> None:
    rendered = change_report()
    assert "<script>" not in rendered.html and "&lt;script&gt;" in rendered.html
    assert 'href="javascript' not in rendered.html
    assert "<del>46 жалоб</del><ins>ряд обращений</ins>" in rendered.html
    assert "~~46 жалоб~~ **ряд обращений**" in rendered.markdown
    assert "<script>" not in rendered.markdown
    channels = {kind: build_channel(AlertChannel(kind, kind, {"to": ["a@b.c"]}), tmp_path)
                for kind in ("email", "telegram", "webhook")}
    (mail,) = compose(channels["email"], rendered)
    assert mail["subject"] == "steppewatch — rights-changes: 2 changes (run r2)"
    (telegram,) = compose(channels["telegram"], rendered)
    assert "&lt;script&gt;" in telegram["text"] and 'href="#"' in telegram["text"]
    assert "the page answers 404 Not Found" in telegram["text"]
    (hook,) = compose(channels["webhook"], rendered)
    assert "&lt;script&gt;" in hook["text"] and "2 words removed, 2 added" in hook["text"]
    assert json.loads(rendered.json)["changes"][1]["reason"] == "http_404"
