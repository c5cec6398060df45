"""Telegram channels crawled from their replayed preview pages (real Scrapy on loopback, real
DuckDB, no Prefect): two channels and the outlet one of them links, two nights. The first
night reads each channel's newest page and its older page; between the nights the Kaktus
channel edits a post, deletes one and publishes a new one; the second night reads only the
newest page of each channel and notices all three."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from starlette.testclient import TestClient

from crawlers.replay_server import ReplayServer
from flows import run_night
from flows.settings import load_settings
from flows.web.app import create_app
from tests.helpers import CONFIG, SITES
from tests.replay.telegram_site import channel_pages, load_content
from warehouse.connection import WAREHOUSE_FILE

CHANNELS = ["tg-kaktus", "tg-24kg"]
OUTLET = "kaktus"  # the outlet whose story a post of tg-kaktus links
EDITED_TEXT = ("Мэрия Бишкека восстановила электроснабжение в новостройках Асанбая. Жители "
               "провели без света и отопления трое суток.")


def changed_channel() -> dict:
    """tg-kaktus after a day: 48231 edited, 48240 deleted, 48255 new (links a 24.kg story)."""
    content = load_content()["tg-kaktus"]
    newest = [p for p in content["pages"][0] if p["id"] != 48240]
    for post in newest:
        if post["id"] == 48231:
            post["text"] = EDITED_TEXT
    newest.append({"id": 48255, "date": "2026-11-28T07:00:00+00:00", "views": "3.1K",
                   "text": "Задержанных у мэрии участников акции против сноса домов отпустили "
                           "после составления протоколов. https://24.kg/obschestvo/351846_u-"
                           "zdaniya-merii-bishkeka-zaderzhali-uchastnikov-akcii-protiv-snosa-domov/"})
    return {**content, "pages": [newest, *content["pages"][1:]]}


def write_channel(sites: Path, content: dict) -> None:
    for url, page in channel_pages("kaktus_mediakg", content).items():
        name = url.split("/s/", 1)[1].replace("?", "@") + ".html"
        (sites / "t.me" / "s" / name).write_text(page, "utf-8")


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("telegram")
    sites, data = tmp / "sites", tmp / "data"
    for host in ("t.me", "kaktus.media"):
        shutil.copytree(SITES / host, sites / host)
    requests = []
    for night, now in enumerate(("2026-11-28T02:00:00+00:00", "2026-11-29T02:00:00+00:00")):
        if night:
            write_channel(sites, changed_channel())
        with ReplayServer(sites) as replay:
            run_night(CONFIG, data, replay_address=replay.address,
                      only_sources=[*CHANNELS, OUTLET], mode="replay", now=now)
            requests.append([(path, status) for host, path, status in replay.requests
                             if host == "t.me"])
    return {"data": data, "requests": requests}


def query(nights: dict, sql: str, *params: object) -> list[tuple]:
    with duckdb.connect(str(nights["data"] / WAREHOUSE_FILE), read_only=True) as con:
        return con.execute(sql, list(params)).fetchall()


def test_first_night_reads_both_pages_second_only_the_newest(nights: dict) -> None:
    first, second = (sorted(p for p, status in r if p != "/robots.txt" and status == 200)
                     for r in nights["requests"])
    assert first == ["/s/kaktus_mediakg", "/s/kaktus_mediakg?before=48213",
                     "/s/news24kg", "/s/news24kg?before=61250"]
    assert second == ["/s/kaktus_mediakg", "/s/news24kg"]


def test_each_post_with_text_is_an_article(nights: dict) -> None:
    rows = query(nights, "select url, source_id from articles where source_id like 'tg-%' "
                         "order by url")
    urls = [u for u, _ in rows]
    kaktus = [f"https://t.me/kaktus_mediakg/{i}" for i in (48170, 48188, 48213, 48231, 48240,
                                                            48255)]
    assert [u for u in urls if "kaktus" in u] == kaktus  # 48220 is a photo without text
    assert len([u for u in urls if "news24kg" in u]) == 5


def test_post_fields(nights: dict) -> None:
    (row,) = query(nights, """
        select a.title, a.published_at, a.author, p.views, p.edited, p.forwarded_from,
               p.forwarded_from_url, p.links
        from articles a join telegram_posts p using (article_id)
        where a.url = 'https://t.me/kaktus_mediakg/48240'""")
    title, published, author, views, edited, forwarded, forwarded_url, links = row
    assert title.startswith("У здания мэрии Бишкека милиция задержала участников акции")
    assert published.isoformat().startswith("2026-11-27T18:30:55")
    assert (views, edited, forwarded, forwarded_url) == (11500, False, "24.kg",
                                                         "https://t.me/news24kg/61250")
    assert links == []  # hashtags are searches, not links
    (signed,) = query(nights, """
        select a.author, p.edited from articles a join telegram_posts p using (article_id)
        where a.url = 'https://t.me/kaktus_mediakg/48231' order by p.run_id limit 1""")
    assert signed == ("Айгерим Токтосунова", True)


def test_posts_are_tagged(nights: dict) -> None:
    topics = dict(query(nights, """
        select a.url, list(t.topic order by t.topic) from articles a
        join article_topics t using (article_id) where a.source_id like 'tg-%' group by a.url"""))
    assert "police" in topics["https://t.me/kaktus_mediakg/48240"]
    assert "torture" in topics["https://t.me/news24kg/61190"]
    assert "https://t.me/news24kg/61201" not in topics  # the budget: no topic


def test_a_post_linking_an_outlet_story_is_connected_to_it(nights: dict) -> None:
    rows = query(nights, """
        select l.linked_url, l.linked_source_id, s.url from telegram_links l
        join articles p on p.article_id = l.article_id
        left join articles s on s.article_id = l.linked_article_id
        where p.url = 'https://t.me/kaktus_mediakg/48213'""")
    story = "https://kaktus.media/doc/551942_sotrudniki_gknb_zaderzhali_zhurnalistov_v_bishkeke.html"
    assert rows == [(story, OUTLET, story)]  # utm_* dropped, matched to the stored story
    (unstored,) = query(nights, """
        select linked_article_id from telegram_links l join articles p using (article_id)
        where p.url = 'https://t.me/news24kg/61250'""")
    assert unstored == (None,)  # 24.kg was not crawled here


def test_second_night_notices_the_edit_and_the_deletion(nights: dict) -> None:
    versions = query(nights, """
        select v.text from article_versions v join articles a using (article_id)
        where a.url = 'https://t.me/kaktus_mediakg/48231' order by v.extracted_at""")
    assert [t for (t,) in versions][-1] == EDITED_TEXT and len(versions) == 2
    changes = query(nights, """
        select a.url, c.kind from telegram_changes c join articles a using (article_id)
        order by a.url""")
    assert changes == [("https://t.me/kaktus_mediakg/48231", "edited"),
                       ("https://t.me/kaktus_mediakg/48240", "deleted")]
    tracked = query(nights, """
        select a.url, c.kind from story_changes c join articles a using (article_id)
        order by a.url, c.kind""")
    assert tracked == [("https://t.me/kaktus_mediakg/48231", "edited"),
                       ("https://t.me/kaktus_mediakg/48231", "headline")]
    checks = dict(query(nights, """
        select a.url, k.state || coalesce(':' || k.reason, '') from article_checks k
        join articles a using (article_id) where a.url like 'https://t.me/kaktus_mediakg/%'"""))
    assert checks["https://t.me/kaktus_mediakg/48240"] == "gone:deleted"  # removed if again
    assert checks["https://t.me/kaktus_mediakg/48213"] == "present"


def test_the_channels_pages_are_archived(nights: dict) -> None:
    (capture,) = query(nights, """
        select c.url, c.kind, c.warc_file from articles a join captures c using (capture_id)
        where a.url = 'https://t.me/news24kg/61190'""")
    assert capture[:2] == ("https://t.me/s/news24kg?before=61250", "listing")
    assert capture[2].endswith("tg-24kg.warc.gz")
    figures = json.loads(query(nights, "select errors_by_kind from source_runs "
                                       "where source_id = 'tg-kaktus' order by run_id desc "
                                       "limit 1")[0][0])
    assert figures == {"deleted": 1}


def test_the_story_page_says_it_was_also_posted_on_telegram(nights: dict) -> None:
    story = "https://kaktus.media/doc/551942_sotrudniki_gknb_zaderzhali_zhurnalistov_v_bishkeke.html"
    (story_id,), (post_id,) = (query(nights, "select article_id from articles where url = ?", u)[0]
                               for u in (story, "https://t.me/kaktus_mediakg/48213"))
    client = TestClient(create_app(load_settings(CONFIG, nights["data"])))
    page = client.get(f"/stories/{story_id}").text
    line = page.split('<p class="telegram">', 1)[1].split("</p>", 1)[0]
    assert line.startswith("Also posted on Telegram by ")
    assert f'<a href="/stories/{post_id}">Kaktus.media (Telegram)</a>' in line
    assert "https://t.me/kaktus_mediakg/48213" in line
    post_page = client.get(f"/stories/{post_id}").text
    assert '<p class="telegram">' not in post_page  # no post links to the post itself
