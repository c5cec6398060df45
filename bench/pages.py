"""HTML, RSS and sitemap text of the benchmark's synthetic outlet.

An article page carries the boilerplate of a real news site around its text: inline
CSS and an SVG sprite, menus, breadcrumbs, share bars, a "read also" box inside the
body, related stories, comments, a sidebar ticker, a footer and the inline JSON state
and analytics scripts of a modern CMS, padded to a size between 50 and 100 KB.
"""

from __future__ import annotations

import json
import random
import tomllib
from collections.abc import Sequence
from html import escape
from pathlib import Path

from bench.corpus import ROOT, Story

STRINGS = tomllib.loads((ROOT / "tests/replay/templates/strings.toml").read_text("utf-8"))
CSS = (ROOT / "tests/replay/templates/common/critical.css").read_text("utf-8")
SECTIONS = ("politics", "society", "incidents", "economy", "world", "sport", "culture",
            "health", "education", "ecology", "opinion", "interview", "photo", "video",
            "weather", "tenders", "archive", "central-asia", "eaeu", "tech")
PAGE_BYTES = (50_000, 100_000)
TICKER_MAX = 60


def ui(lang: str, key: str) -> str:
    return STRINGS.get(lang, STRINGS["ru"]).get(key, STRINGS["ru"][key])


def date_text(story: Story) -> str:
    months = ui(story.lang, "months")
    d = story.published
    return ui(story.lang, "date").format(day=d.day, month=months[d.month - 1], year=d.year,
                                         time=f"{d:%H:%M}")


def _links(base: str, items: Sequence[str], css: str) -> str:
    return "".join(f'<li class="{css}__item"><a class="{css}__link" href="{base}{s}/">'
                   f"{escape(s.replace('-', ' ').title())}</a></li>\n" for s in items)


def _svg_sprite(rng: random.Random) -> str:
    symbols = []
    for name in ("logo", "search", "menu", "close", "facebook", "telegram", "x", "whatsapp",
                 "vk", "ok", "youtube", "instagram", "print", "mail", "clock", "eye"):
        path = " ".join(f"M{rng.randint(0, 24)}.{rng.randint(0, 99)} "
                        f"{rng.randint(0, 24)}.{rng.randint(0, 99)}l{rng.randint(-9, 9)}.5 "
                        f"{rng.randint(-9, 9)}.25" for _ in range(24))
        symbols.append(f'<symbol id="i-{name}" viewBox="0 0 24 24"><path d="{path}z"/></symbol>')
    return '<svg xmlns="http://www.w3.org/2000/svg" style="display:none">' + "".join(symbols) + \
        "</svg>\n"


def _head(story: Story, url: str, site: str) -> str:
    title = escape(story.title)
    lead = escape(story.lead)
    ld = json.dumps({
        "@context": "https://schema.org", "@type": "NewsArticle", "headline": story.title,
        "description": story.lead, "inLanguage": story.lang,
        "datePublished": story.published.isoformat(), "dateModified": story.published.isoformat(),
        "author": [{"@type": "Person", "name": story.author}],
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "publisher": {"@type": "Organization", "name": site},
    }, ensure_ascii=False)
    return f"""<!DOCTYPE html>
<html lang="{story.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | {site}</title>
<meta name="description" content="{lead}">
<link rel="canonical" href="{url}">
<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:description" content="{lead}">
<meta property="og:url" content="{url}">
<meta property="og:site_name" content="{site}">
<meta property="article:published_time" content="{story.published.isoformat()}">
<meta name="author" content="{escape(story.author)}">
<script type="application/ld+json">{ld}</script>
<link rel="stylesheet" href="/static/css/site.css?v=20261128">
<style>
{CSS}</style>
</head>
"""


def _header(story: Story, base: str, site: str) -> str:
    lang = story.lang
    return f"""<body class="page-article">
<div class="topbar"><span class="topbar__date">{date_text(story)}</span>
<span class="topbar__rates">USD 87.45 · EUR 94.10 · RUB 0.96</span>
<span class="topbar__weather">Бишкек −2° · Алматы −4° · Ташкент +3° · Душанбе +5°</span></div>
<header class="hdr"><a class="hdr__logo" href="{base}"><svg class="ico"><use href="#i-logo"/>
</svg><span class="sr-only">{escape(site)}</span></a>
<nav class="nav" aria-label="{ui(lang, 'menu')}"><ul class="nav__list">
{_links(base, SECTIONS, "nav")}</ul></nav>
<form class="search-form" action="{base}search/" method="get"><input type="search" name="q"
placeholder="{ui(lang, 'search')}"><button type="submit">{ui(lang, 'search')}</button></form>
</header>
<div class="breadcrumbs"><a href="{base}">{ui(lang, 'home')}</a>
<a href="{base}{story.section}/">{escape(story.section.title())}</a></div>
"""


def _share(lang: str, url: str) -> str:
    nets = ("facebook", "telegram", "x", "whatsapp", "vk", "ok", "mail", "print")
    items = "".join(f'<li><a class="btn-share btn-share--{n}" href="https://share.example/{n}?u='
                    f'{escape(url)}" rel="nofollow noopener"><svg class="ico"><use href="#i-{n}"/>'
                    f"</svg></a></li>" for n in nets)
    return f'<div class="share"><span>{ui(lang, "share")}</span><ul class="share__list">' \
        f"{items}</ul></div>\n"


def _body(story: Story, url: str, others: Sequence[Story], base: str) -> str:
    lang = story.lang
    paragraphs = [f"<p>{escape(p)}</p>" for p in story.paragraphs]
    also = others[0]
    paragraphs.insert(3, f'<aside class="read-also"><span>{ui(lang, "related")}</span> '
                         f'<a href="{base}s/{also.number}/">{escape(also.title)}</a></aside>')
    paragraphs.insert(7, '<div class="adv adv--inread" data-slot="inread-1" '
                         'data-sizes="[[300,250],[336,280]]"></div>')
    return f"""<main class="container"><div class="row"><div class="col-md-8">
<article class="article" itemscope itemtype="https://schema.org/NewsArticle">
<h1 class="title" itemprop="headline">{escape(story.title)}</h1>
<div class="byline"><span class="byline__author">{ui(lang, 'author')}:
<a href="{base}author/{story.number % 97}/">{escape(story.author)}</a></span>
<time datetime="{story.published.isoformat()}">{date_text(story)}</time>
<span class="views"><svg class="ico"><use href="#i-eye"/></svg> {story.number * 37 % 9000}</span>
</div>
{_share(lang, url)}<p class="lead">{escape(story.lead)}</p>
<figure class="article__image"><img src="/files/media/{story.number}.jpg" width="1200"
height="675" alt="{escape(story.title)}"><figcaption>{ui(lang, 'photo')}: {escape(story.author)}
</figcaption></figure>
<div class="article-body" itemprop="articleBody">
{chr(10).join(paragraphs)}
</div>
{_share(lang, url)}</article>
"""


def _story_list(title: str, stories: Sequence[Story], base: str, css: str,
                with_lead: bool) -> str:
    items = []
    for s in stories:
        lead = f'<p class="{css}__lead">{escape(s.lead)}</p>' if with_lead else ""
        items.append(f'<li class="{css}__item"><time class="{css}__date">{date_text(s)}</time>'
                     f'<a class="{css}__title" href="{base}s/{s.number}/">{escape(s.title)}</a>'
                     f"{lead}</li>")
    return f'<section class="{css}"><h2 class="{css}__heading">{escape(title)}</h2>' \
        f'<ul class="{css}__list">' + "\n".join(items) + "</ul></section>\n"


def _comments(story: Story, others: Sequence[Story]) -> str:
    lang = story.lang
    items = "".join(
        f'<li class="comment"><b class="comment__author">user{o.number % 991}</b>'
        f'<time>{date_text(o)}</time><p>{escape(o.lead)}</p></li>' for o in others[:5])
    return f"""<section class="comments"><h2>{ui(lang, 'comments_title')}</h2>
<ol class="comment-list">{items}</ol>
<form class="comment-form" method="post" action="/comments/"><p>{ui(lang, 'comments_note')}</p>
<textarea name="comment" placeholder="{ui(lang, 'comment')}"></textarea>
<input name="author" placeholder="{ui(lang, 'name')}"><input name="url"
placeholder="{ui(lang, 'website')}"><button>{ui(lang, 'post_comment')}</button></form></section>
</div>
"""


def _footer(story: Story, base: str, site: str) -> str:
    lang = story.lang
    keys = ("about", "contacts", "advert", "privacy", "terms", "archive")
    links = "".join(f'<li><a href="{base}{k}/">{ui(lang, k)}</a></li>' for k in keys)
    return f"""<footer class="ftr"><div class="container"><ul class="ftr__sections">
{_links(base, SECTIONS, "ftr")}</ul><ul class="ftr__links">{links}</ul>
<p>{escape(site)} &copy; 2001–2026. {ui(lang, 'rights')}</p><p>18+</p></div></footer>
<div id="cookie-consent" class="cookie-consent" hidden><p>{ui(lang, 'cookie')}</p>
<button type="button">{ui(lang, 'cookie_ok')}</button></div>
"""


def _scripts(state: list[dict], story: Story) -> str:
    blob = json.dumps({"page": {"id": story.number, "lang": story.lang, "type": "article"},
                       "feed": state}, ensure_ascii=False).replace("</", "<\\/")
    return f"""<script>window.__APP_STATE__ = {blob};</script>
<script>(function(w,d,s,l,i){{w[l]=w[l]||[];w[l].push({{'gtm.start':new Date().getTime(),
event:'gtm.js'}});var f=d.getElementsByTagName(s)[0],j=d.createElement(s);j.async=true;
j.src='https://www.googletagmanager.com/gtm.js?id='+i;f.parentNode.insertBefore(j,f);
}})(window,document,'script','dataLayer','GTM-BENCH01');</script>
<script src="/static/js/main.js?v=20261128" defer></script>
</body>
</html>
"""


def article_html(story: Story, url: str, base: str, site: str, others: Sequence[Story]) -> str:
    """A full article page, 50-100 KB (the size is fixed by the story's number)."""
    rng = random.Random(story.number)
    target = rng.randint(*PAGE_BYTES)
    sidebar_head = '<aside class="col-md-4 sidebar">' + \
        _story_list(ui(story.lang, "most_read"), others[5:15], base, "most-read", False)
    parts = [_head(story, url, site), _svg_sprite(rng), _header(story, base, site),
             _body(story, url, others, base),
             _story_list(ui(story.lang, "related"), others[1:7], base, "related", True),
             _comments(story, others[7:]), sidebar_head]
    tail = ["</aside></div></main>\n", _footer(story, base, site)]
    size = sum(len(p.encode()) for p in parts + tail) + 2_000
    ticker = [o for o in others[15:15 + TICKER_MAX]]
    ticker_html = _story_list(ui(story.lang, "latest"), ticker, base, "ticker", False)
    while ticker and size + len(ticker_html.encode()) > target:
        ticker = ticker[: len(ticker) // 2]
        ticker_html = _story_list(ui(story.lang, "latest"), ticker, base, "ticker", False)
    size += len(ticker_html.encode())
    state: list[dict] = []
    for other in others:
        if size >= target:
            break
        entry = {"id": other.number, "title": other.title, "lead": other.lead,
                 "url": f"{base}s/{other.number}/", "published": other.published.isoformat()}
        state.append(entry)
        size += len(json.dumps(entry, ensure_ascii=False).encode())
    return "".join(parts) + ticker_html + "".join(tail) + _scripts(state, story)


def listing_html(title: str, base: str, entries: Sequence[tuple[str, Story]],
                 next_url: str | None) -> str:
    items = "\n".join(f'<li><a href="{escape(u)}">{escape(s.title)}</a> '
                      f'<span>{escape(s.lead)}</span></li>' for u, s in entries)
    nxt = f'<a class="next" rel="next" href="{next_url}">»</a>' if next_url else ""
    return f"""<!DOCTYPE html>
<html lang="ru"><head><meta charset="utf-8"><title>{escape(title)}</title></head>
<body><header><a href="{base}">{escape(title)}</a></header>
<main><ul class="news-list">
{items}
</ul><nav class="pagination">{nxt}</nav></main></body></html>
"""


def rss_xml(title: str, base: str, entries: Sequence[tuple[str, Story]]) -> str:
    items = "\n".join(
        f"<item><title>{escape(s.title)}</title><link>{escape(u)}</link>"
        f"<guid isPermaLink=\"true\">{escape(u)}</guid>"
        f"<pubDate>{s.published:%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
        f"<description>{escape(s.lead)}</description></item>" for u, s in entries)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{escape(title)}</title><link>{base}</link>
<description>{escape(title)}</description>
{items}
</channel></rss>
"""


def sitemap_index_xml(urls: Sequence[str]) -> str:
    items = "\n".join(f"<sitemap><loc>{escape(u)}</loc></sitemap>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{items}\n</sitemapindex>\n")


def sitemap_xml(entries: Sequence[tuple[str, Story]]) -> str:
    items = "\n".join(f"<url><loc>{escape(u)}</loc><lastmod>{s.published.isoformat()}</lastmod>"
                      "</url>" for u, s in entries)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{items}\n</urlset>\n")


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
