"""More of the mess of the real web, tested fast on saved HTML (no crawl): short briefs,
headlines with scripts in them, listings whose pagination only goes backwards.

The crawl of the same cases on the replay host mess.example is in tests/e2e/test_mess.py."""

from __future__ import annotations

import pytest
import trafilatura
from scrapy import Request
from scrapy.http import HtmlResponse

from crawlers.extraction import (
    MIN_TEXT_CHARS,
    ExtractionError,
    article_signals,
    drop_scripts_in_headings,
    extract_article,
    prose_chars,
)
from crawlers.items import FetchError
from crawlers.plan import CrawlPlan
from crawlers.sources import Source
from crawlers.spiders.discovery import Listed
from crawlers.spiders.source_spider import SourceSpider
from tests.helpers import ROOT

URL = "https://news.example/news/raid.html"
# A Kyrgyz brief of two sentences (114 characters), shaped like the agency items of
# Kyrgyz and Kazakh outlets (see docs/CRAWLING.md, "Short briefs").
BRIEF_KY = ("Бишкекте милиция кызматкерлери түнкү рейд учурунда үч жаранды кармады. "
            "Алар убактылуу кармоо жайына жайгаштырылды.")
BRIEF_KK = ("Алматыда полиция түнгі рейд кезінде үш адамды ұстады. "
            "Олар уақытша ұстау изоляторына жеткізілді.")
BRIEF_RU = "В Оше задержали двоих участников стихийного митинга у здания мэрии."
LONG_RU = " ".join([
    "Сотрудники городской администрации сообщили журналистам, что работы на центральной",
    "площади продлятся до конца месяца и затронут несколько соседних улиц города.",
] * 3)


def page(body: str, head: str = "", title: str = "Бишкекте түнкү рейдде үч жаран кармалды",
         lang: str = "ky") -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{title}</title>{head}</head><body>"
            '<nav><a href="/">Башкы бет</a> <a href="/news/">Жаңылыктар</a></nav>'
            f"{body}"
            '<footer><p class="copyright">© 2026 News Example. Бардык укуктар корголгон, '
            "материалдарды көчүрүүдө шилтеме милдеттүү.</p></footer></body></html>").encode()


OG_ARTICLE = '<meta property="og:type" content="article">'
OG_WEBSITE = '<meta property="og:type" content="website">'
PUBLISHED = '<meta property="article:published_time" content="2026-11-27T23:40:00+06:00">'
JSON_LD = ('<script type="application/ld+json">{"@context": "https://schema.org", '
           '"@type": "NewsArticle", "headline": "Бишкекте түнкү рейдде үч жаран кармалды", '
           '"datePublished": "2026-11-27T23:40:00+06:00"}</script>')
JSON_LD_GRAPH = ('<script type="application/ld+json">{"@context": "https://schema.org", '
                 '"@graph": [{"@type": "WebSite", "name": "News"}, '
                 '{"@type": ["Article", "ReportageNewsArticle"]}]}</script>')


def brief_page(head: str, text: str = BRIEF_KY, h1: str = "Бишкекте түнкү рейдде үч жаран "
               "кармалды") -> bytes:
    return page(f"<article><h1>{h1}</h1><time>27.11.2026, 23:40</time><p>{text}</p></article>",
                head)


# ------------------------------------------------------------------ short briefs


@pytest.mark.parametrize("head", [OG_ARTICLE, PUBLISHED, JSON_LD, JSON_LD_GRAPH,
                                  OG_WEBSITE + JSON_LD])
def test_a_short_brief_marked_as_an_article_is_stored(head: str) -> None:
    article = extract_article(brief_page(head), URL, "text/html", ["ky", "ru"])
    assert article.text == BRIEF_KY
    assert article.title == "Бишкекте түнкү рейдде үч жаран кармалды"
    assert article.language == "ky"
    assert prose_chars(article.text) < MIN_TEXT_CHARS  # the old rule refused it


@pytest.mark.parametrize(("text", "lang"), [(BRIEF_KK, "kk"), (BRIEF_RU, "ru")])
def test_briefs_in_other_languages_are_stored(text: str, lang: str) -> None:
    article = extract_article(brief_page(OG_ARTICLE, text), URL, "text/html", [lang, "ru"])
    assert article.text == text


def test_a_brief_written_with_line_breaks_keeps_its_words_apart() -> None:
    text = BRIEF_KY.replace(". ", ".<br>")
    assert extract_article(brief_page(OG_ARTICLE, text), URL, "text/html").text == BRIEF_KY


def test_a_brief_in_microdata_is_stored_but_a_listing_of_microdata_teasers_is_not() -> None:
    one = page('<div itemscope itemtype="https://schema.org/NewsArticle">'
               f'<h1 itemprop="headline">Рейд</h1><div itemprop="articleBody"><p>{BRIEF_KY}</p>'
               "</div></div>")
    assert extract_article(one, URL, "text/html").text == BRIEF_KY
    teasers = "".join(f'<div itemscope itemtype="https://schema.org/NewsArticle"><p>{text}</p>'
                      "</div>" for text in (BRIEF_KY, BRIEF_RU))
    listing = page(f"<h1>Жаңылыктар</h1>{teasers}")
    assert article_signals(trafilatura.load_html(listing.decode())) == []
    with pytest.raises(ExtractionError) as raised:
        extract_article(listing, URL, "text/html")
    assert raised.value.kind == "no_text"


def test_the_same_brief_without_article_metadata_is_still_refused() -> None:
    for head in ("", OG_WEBSITE):
        with pytest.raises(ExtractionError) as raised:
            extract_article(brief_page(head), URL, "text/html")
        assert raised.value.kind == "no_text"
        assert "no article text" in str(raised.value)


@pytest.mark.parametrize("body", [
    # a short "page not found" answered with 200
    "<h1>404</h1><p>Кечиресиз, сиз издеген барак табылган жок. Издөөнү колдонуп көрүңүз.</p>",
    # a short listing: teasers are links
    '<h1>Жаңылыктар</h1><p><a href="/news/a.html">Бишкекте милиция кызматкерлери түнкү рейд '
    'учурунда үч жаранды кармады.</a></p><p><a href="/news/b.html">Алар убактылуу кармоо '
    "жайына жайгаштырылды.</a></p>",
])
def test_short_pages_that_are_not_articles_are_refused(body: str) -> None:
    with pytest.raises(ExtractionError) as raised:
        extract_article(page(body, OG_WEBSITE), URL, "text/html")
    assert raised.value.kind == "no_text"


@pytest.mark.parametrize("body", [
    # a photo gallery: its captions are not a brief
    "<article><h1>Биринчи кар</h1><figure><img src='1.jpg'><figcaption>Абай проспектисинде "
    "эртең менен кар жаады.</figcaption></figure><figure><img src='2.jpg'><figcaption>"
    "Шаардыктар паркта сейилдеп жүрүшөт.</figcaption></figure><p class='caption'>Калаада "
    "жолдор тазаланып жатат.</p></article>",
    # a video page: a headline, a credit line and share buttons
    "<article><h1>Митинг</h1><p>Видео: Азаттык</p><div class='share'><p>Бөлүшүү: Facebook, "
    "Telegram, WhatsApp жана башка тармактар.</p></div></article>",
    # a teaser list marked as an article by a careless template
    "<article><h1>Окуялар</h1><ul><li><p>Бишкекте милиция кызматкерлери түнкү рейд учурунда "
    "үч жаранды кармады.</p></li></ul></article>",
])
def test_pages_marked_as_articles_without_sentences_are_refused(body: str) -> None:
    with pytest.raises(ExtractionError) as raised:
        extract_article(page(body, OG_ARTICLE + PUBLISHED), URL, "text/html")
    assert raised.value.kind == "no_text"
    assert "marked as an article by og:type=article, article:published_time" in str(raised.value)


def test_the_replay_gallery_is_still_no_text() -> None:
    gallery = ROOT / "tests/replay/sites/rus.azattyq.org/a/fotogalereya/33299999.html"
    with pytest.raises(ExtractionError) as raised:
        extract_article(gallery.read_bytes(), "https://rus.azattyq.org/a/fotogalereya/"
                        "33299999.html", "text/html; charset=utf-8", ["ru"])
    assert raised.value.kind == "no_text"


def test_a_long_article_is_extracted_as_before() -> None:
    article = extract_article(page(f"<article><h1>Ремонт</h1><p>{LONG_RU}</p></article>",
                                   OG_ARTICLE, title="Ремонт", lang="ru"), URL, "text/html")
    assert article.text == f"Ремонт\n{LONG_RU}"  # trafilatura's text, headline included


# ------------------------------------------------------------------ headlines


SCRIPT = '<script>window.dataLayer=window.dataLayer||[];dataLayer.push({"e":"h1"});</script>'
HEADLINE = "Митинг у здания ГКНБ"


@pytest.mark.parametrize(("title", "h1", "head"), [
    (f"{HEADLINE}{SCRIPT}", HEADLINE, ""),                        # script in <title>
    (f"{HEADLINE} - News", f"{HEADLINE}{SCRIPT}", ""),            # script in the <h1>
    (f"{HEADLINE} - News", f"{SCRIPT}{HEADLINE}", ""),            # script first
    ("", f"{HEADLINE}{SCRIPT}", ""),                              # h1 is the only title
    ("", f"Митинг{SCRIPT} у здания ГКНБ", ""),                    # script mid-headline
    ("", f"<style>.h1{{color:red}}</style>{HEADLINE}", ""),       # a style element
    ("", f"{HEADLINE}<noscript>Включите JavaScript</noscript>", ""),
    ("", HEADLINE, '<meta property="og:title" content="Митинг у здания ГКНБ'
                   '&lt;script&gt;alert(1)&lt;/script&gt;">'),    # markup as text in og:title
    ("<script>alert(1)</script>", HEADLINE, ""),                  # a <title> that is a script
    ("", f"Митинг у <b>зда</b>ния{SCRIPT} ГКНБ", ""),             # inline markup stays text
    ("", f'{HEADLINE}<script>var end = "</h1>"; track(end);</script>', ""),  # "</h1>" in JS
])
def test_a_headline_never_keeps_script_text(title: str, h1: str, head: str) -> None:
    html = page(f"<article><h1>{h1}</h1><p>{LONG_RU}</p></article>", head, title=title,
                lang="ru")
    article = extract_article(html, URL, "text/html")
    assert article.title == HEADLINE
    assert article.text.endswith(LONG_RU)
    assert not any(code in article.title + article.text
                   for code in ("dataLayer", "alert", "color:red", "JavaScript"))


def test_only_scripts_inside_headings_are_removed_before_extraction() -> None:
    html = (f"<html><head><title>T{SCRIPT}</title>{JSON_LD}</head><body><h2>S<style>b{{}}"
            f"</style></h2><p>Text</p>{SCRIPT}</body></html>")
    assert drop_scripts_in_headings(html) == (
        f"<html><head><title>T </title>{JSON_LD}</head><body><h2>S </h2><p>Text</p>{SCRIPT}"
        "</body></html>")
    assert drop_scripts_in_headings("<p>no heading</p>") == "<p>no heading</p>"


def test_a_headline_keeps_angle_brackets_that_are_text() -> None:
    title = "Инфляция &lt; 5 % &gt; прогноза"
    html = page(f"<article><h1>{title}</h1><p>{LONG_RU}</p></article>", title=title, lang="ru")
    assert extract_article(html, URL, "text/html").title == "Инфляция < 5 % > прогноза"


# ------------------------------------------------------------------ pagination


SOURCE = Source(id="cal", name="Calendar", family="custom", countries=("KG",),
                languages=("ru",), base_url="https://cal.example/",
                article_pattern=r"^https://cal\.example/news/[\w-]+\.html$",
                listings=("https://cal.example/day/",))


def spider(**plan: int) -> SourceSpider:
    return SourceSpider(SOURCE, frozenset(), CrawlPlan(**plan))


def listing(url: str, pagination: str, articles: tuple[str, ...] = ("a", "b"),
            **meta: object) -> HtmlResponse:
    links = "".join(f'<li><a href="/news/{a}.html">{a}</a></li>' for a in articles)
    body = (f'<html><head><meta charset="utf-8"></head><body><ul>{links}</ul>'
            f'<a href="/news/a.html" class="preview">a</a>{pagination}</body></html>')
    return HtmlResponse(url, body=body.encode(), encoding="utf-8",
                        request=Request(url, meta={"kind": "listing", **meta}))


def follow(crawler: SourceSpider, response: HtmlResponse) -> list:
    links = [Listed(response.urljoin(h)) for h in response.xpath("//a/@href").getall()]
    return list(crawler._next_listing_page(response, links))


@pytest.mark.parametrize("pagination", [
    '<a rel="prev" href="earlier/">Предыдущий день</a>',
    '<a class="pager__prev" href="earlier/">‹ Предыдущий день</a>',
    '<a class="nav-previous" href="earlier/">« Older posts</a>',
    '<a href="earlier/">Назад</a>',
    '<a href="earlier/">‹</a>',
])
def test_a_listing_that_only_links_backwards_is_followed_and_its_trap_stopped(
        pagination: str) -> None:
    crawler = spider(max_listing_pages=10)
    first = follow(crawler, listing("https://cal.example/day/", pagination))
    assert [r.url for r in first] == ["https://cal.example/day/earlier/"]
    # the endless calendar serves the same day again one level down: no new article
    second = follow(crawler, listing(first[0].url, pagination, **first[0].meta))
    assert len(second) == 1 and isinstance(second[0], FetchError)
    assert second[0].kind == "pagination_trap"
    assert second[0].url == "https://cal.example/day/earlier/"
    assert "https://cal.example/day/earlier/earlier/ was not followed" in second[0].message


def test_a_backwards_listing_with_new_articles_goes_on_to_the_nightly_limit() -> None:
    crawler = spider(max_listing_pages=3)
    pagination = '<a rel="prev" href="earlier/">‹</a>'
    urls, response = [], listing("https://cal.example/day/", pagination, ("d1",))
    for day in ("d2", "d3", "d4"):
        requests = follow(crawler, response)
        if not requests:
            break
        urls.append(requests[0].url)
        response = listing(requests[0].url, pagination, (day,), **requests[0].meta)
    assert urls == ["https://cal.example/day/earlier/", "https://cal.example/day/earlier/earlier/"]


def test_next_is_preferred_to_previous_and_pages_already_read_are_not_asked_again() -> None:
    crawler = spider(max_listing_pages=10)
    page_2 = ('<a rel="prev" href="/day/">‹ Предыдущая</a> '
              '<a rel="next" href="/day/?page=3">Следующая ›</a>')
    first = follow(crawler, listing("https://cal.example/day/", '<a rel="next" '
                                    'href="/day/?page=2">›</a>'))
    second = follow(crawler, listing(first[0].url, page_2, ("c", "d"), **first[0].meta))
    assert [r.url for r in second] == ["https://cal.example/day/?page=3"]
    # the last page links back only; the page before it was read: the listing ends, no error
    last = follow(crawler, listing(second[0].url, '<a rel="prev" href="/day/?page=2">‹</a>',
                                   ("e",), **second[0].meta))
    assert last == []


def test_two_pages_linking_each_other_make_no_loop_and_no_false_trap() -> None:
    crawler = spider(max_listing_pages=10)
    first = follow(crawler, listing("https://cal.example/day/",
                                    '<a rel="prev" href="/day/b/">‹</a>'))
    back = follow(crawler, listing(first[0].url, '<a rel="prev" href="/day/">‹</a>',
                                   **first[0].meta))
    assert back == []


def test_pagination_never_leads_to_an_article_or_another_host() -> None:
    crawler = spider(max_listing_pages=10)
    links = ('<a class="prev-story" href="/news/z.html">‹ Предыдущая новость</a>'
             '<a rel="prev" href="https://other.example/day/">‹</a>')
    assert follow(crawler, listing("https://cal.example/day/", links)) == []
