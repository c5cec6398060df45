"""Telegram preview pages read by crawlers/telegram.py: real saved pages (tests/data/telegram/,
docs/TELEGRAM.md says where each comes from), the replay's rendered pages, the sources.toml
entry of a channel and a post as an article."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from crawlers import telegram
from crawlers.extraction import ExtractionError
from crawlers.replay_server import ReplayServer
from crawlers.sources import SourceConfigError, load_sources
from crawlers.telegram_extraction import extract_post, post_title
from tests.helpers import CONFIG, ROOT, SITES

DATA = ROOT / "tests" / "data" / "telegram"
TOPWAR = DATA / "topwar_official-before-71009.html"  # a whole real page (rust-any2feed)
TCHAN = DATA / "tchantest-messages.html"  # real messages: edited, signed, forwarded (tchan)


def page(path: Path, channel: str) -> telegram.ChannelPage:
    return telegram.parse_channel_page(path.read_bytes(), channel)


def test_a_real_page_its_posts_and_its_older_page() -> None:
    saved = page(TOPWAR, "topwar_official")
    assert saved.title == "Военное обозрение"
    assert saved.before == 70989  # the "more" link: ?before=70989
    ids = [p.post_id for p in saved.posts]
    assert ids == sorted(ids) and len(ids) == 12 and ids[0] == 70989 and ids[-1] == 71008
    first = saved.posts[0]
    assert first.url == "https://t.me/topwar_official/70989"
    assert first.published_at == "2023-02-28T07:47:53+00:00"
    assert first.views == 37200 and not first.edited and first.forwarded_from is None
    assert first.text.startswith("В Санкт-Петербурге в небо над городом подняли истребители")
    assert "\n" in first.text and "  " not in first.text  # <br/> kept, markup's indents not


def test_forwarded_posts_and_their_links() -> None:
    posts = {p.post_id: p for p in page(TOPWAR, "topwar_official").posts}
    forwarded = posts[70996]
    assert forwarded.forwarded_from == "Военкор Ярем"
    assert forwarded.forwarded_from_url == "https://t.me/yaremshooter/1066"
    assert "https://t.me/infantmilitario/93419" in forwarded.links
    assert "http://t.me/infantmilitario/93419" in forwarded.links  # the link preview's own


def test_edited_and_signed_messages() -> None:
    posts = {p.post_id: p for p in page(TCHAN, "tchantest").posts}
    assert sorted(posts) == [5, 24, 89]  # 1 is a service message ("Channel created")
    assert posts[24].edited and posts[24].links == ("https://brasil.io/",)
    assert posts[5].edited and posts[5].author == "Álvaro Justen"
    assert posts[5].text == "Hello! Signed and edited message"
    assert not posts[89].edited and posts[89].forwarded_from == "Some user"


@pytest.mark.parametrize(("shown", "count"), [("37.2K", 37200), ("1.1M", 1100000), ("2", 2),
                                              ("", None)])
def test_views(shown: str, count: int | None) -> None:
    assert telegram.parse_views(shown) == count


def test_a_page_without_message_history_is_refused() -> None:
    with pytest.raises(ValueError, match="no message history"):
        telegram.parse_channel_page(b"<html><body>Not found</body></html>", "kaktus_mediakg")


def test_a_post_as_an_article() -> None:
    article, fields = extract_post(TOPWAR.read_bytes(), "https://t.me/topwar_official/70998",
                                   ["ru"])
    assert article.title == ("Новые ракетные корабли ВМФ РФ с Калибрами вышли на учения в "
                             "Балтийское море")
    assert article.text.startswith(article.title + "\n")
    assert article.language == "ru" and article.author == "Военное обозрение"
    assert fields["tg_forwarded_from"] == "БелВПО" and fields["tg_views"] == 29000
    assert fields["tg_post_id"] == 70998 and fields["tg_channel"] == "topwar_official"


def test_a_post_missing_from_its_page_has_no_article() -> None:
    with pytest.raises(ExtractionError, match="not on its page"):
        extract_post(TOPWAR.read_bytes(), "https://t.me/topwar_official/70991")


def test_long_first_lines_are_cut_at_a_word() -> None:
    title = post_title("слово " * 40 + "\nвторая строка")
    assert title.endswith("слово…") and len(title) <= 121


def test_the_sources_toml_entry_of_a_channel(tmp_path: Path) -> None:
    channels = [s for s in load_sources(CONFIG / "sources.toml") if s.family == "telegram"]
    assert len(channels) >= 8
    kaktus = next(s for s in channels if s.id == "tg-kaktus")
    assert kaktus.listings == ("https://t.me/s/kaktus_mediakg",) and kaktus.hosts == ("t.me",)
    assert kaktus.is_article_url("https://t.me/kaktus_mediakg/48213")
    assert not kaktus.is_article_url("https://t.me/news24kg/61250")
    assert kaktus.download_delay == telegram.DEFAULT_DELAY
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nid = "x"\nname = "X"\nfamily = "telegram"\nchannel = "t.me/x"\n'
                   'countries = ["KG"]\nlanguages = ["ru"]\n', "utf-8")
    with pytest.raises(SourceConfigError, match="not a public channel name"):
        load_sources(bad)


def test_the_replay_serves_every_channel_in_the_real_markup() -> None:
    channels = [s for s in load_sources(CONFIG / "sources.toml") if s.family == "telegram"]
    with ReplayServer(SITES) as server:
        for source in channels:
            request = urllib.request.Request(f"http://{server.address}/s/{source.channel}",
                                             headers={"X-Replay-Host": "t.me"})
            with urllib.request.urlopen(request) as response:
                newest = telegram.parse_channel_page(response.read(), source.channel or "")
            assert len(newest.posts) >= 3 and newest.before, source.id
            assert all(p.published_at and p.views for p in newest.posts), source.id
