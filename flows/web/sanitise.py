"""An archived page made safe to show: decoded, reduced to its text structure by an
allow-list sanitiser (nh3, Ammonia), with nothing that runs, loads or leaves the app.

Scraped HTML is hostile until proven otherwise, so two layers keep it in:
- this sanitiser: only the tags and attributes listed here survive; no script, style,
  URL-bearing attribute, form, frame or embed; images become a visible "[image: alt]"
  placeholder and links keep their text and show their URL but cannot be followed;
- the browser: the framed document is served with ARCHIVE_FRAME_CSP (no script, no
  request of any kind, no form, no navigation) inside an iframe sandboxed with
  ARCHIVE_FRAME_SANDBOX, so a sanitiser bug still runs nothing and loads nothing.

docs/DECISIONS.md ("The archived copy") says why nh3 and why this allow-list.
"""

from __future__ import annotations

import base64
import hashlib
import html
from urllib.parse import urljoin, urlsplit

import lxml.html
import nh3

from crawlers.extraction import decode_html

# Text structure only. Not here, so removed with their markup (their text stays): font,
# center, label, and every tag of a future standard until someone adds it on purpose.
ALLOWED_TAGS = frozenset({
    "h1", "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "div", "span", "article",
    "section", "header", "footer", "main", "aside", "nav", "figure", "figcaption",
    "blockquote", "q", "cite", "pre", "code", "kbd", "samp", "var", "ul", "ol", "li", "dl",
    "dt", "dd", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup",
    "col", "a", "b", "i", "em", "strong", "u", "s", "small", "sub", "sup", "mark", "abbr",
    "time", "address", "del", "ins", "wbr", "bdi", "bdo",
})
# Removed with everything inside. script/style: code, not the page's text. noscript: in
# news pages it holds tracking pixels and "enable JavaScript" notices, and as raw text to a
# scripting parser it is a known mutation-XSS vector. title: shown by no browser inside the
# page (the parent page names the capture). svg/math: foreign content with its own parsing
# rules and script. Frames, plugins, media and form controls: what they show is loaded
# from elsewhere or is the site's own UI; the frames and media leave a placeholder.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "noscript", "template", "title", "svg", "math", "iframe", "frame",
    "frameset", "noframes", "object", "embed", "applet", "video", "audio", "canvas", "map",
    "select", "textarea", "datalist", "button",
})
# No attribute that names a URL (href, src, srcset, action, poster, cite, background...),
# no style, no event handler, no id or class of the page (they would meet our stylesheet).
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": {"lang", "dir"},
    "a": {"title", "data-href"},
    "abbr": {"title"},
    "time": {"datetime"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
}
PLACEHOLDER_CLASS = "archived-media"
SHOWN_SCHEMES = ("http", "https", "mailto", "tel")  # a link's URL shown as text, never followed
EMBEDS = ("iframe", "frame", "video", "audio", "object", "embed")
HTML_TYPES = ("text/html", "application/xhtml+xml", "")

STYLESHEET = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:46em;margin:1em auto;padding:0 1em;"
    "color:#111;background:#fff}"
    "a[data-href]{color:#1a4d8f;text-decoration:underline dotted;cursor:help}"
    "a[data-href]::after{content:' <' attr(data-href) '>';color:#666;font-size:.8em;"
    "word-break:break-all}"
    f".{PLACEHOLDER_CLASS}{{display:inline-block;padding:0 .3em;border:1px dashed #999;"
    "color:#555;font-size:.9em}"
    "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .4em}"
    "pre{white-space:pre-wrap}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(STYLESHEET.encode()).digest()).decode()

# The framed document's Content-Security-Policy (an HTTP header: `sandbox` and
# `frame-ancestors` do nothing in a <meta>). default-src 'none': no script, image, font,
# frame, media or connection of any kind, from anywhere, us included. style-src by hash:
# only our own stylesheet applies, not a style tag or attribute that slipped through.
# sandbox with no token: no script, form, popup, plugin or top navigation, and an opaque
# origin that cannot read the app's cookies. base-uri/form-action: no <base>, no post.
# frame-ancestors 'self': shown only inside our own workspace page.
ARCHIVE_FRAME_CSP = (f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; sandbox; "
                     "base-uri 'none'; form-action 'none'; frame-ancestors 'self'")
# The iframe's sandbox attribute: empty grants nothing (no scripts, no same origin, no
# forms, no popups, no navigation of the workspace page).
ARCHIVE_FRAME_SANDBOX = ""
# Repeated inside the document, for a server that forgets the header (what a <meta> obeys).
_META_CSP = (f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; "
             "form-action 'none'")


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _shown_url(value: str | None, base: str) -> str | None:
    """The absolute URL a link pointed to, if it is one a reader may want to see."""
    if not value or value.strip().startswith("#"):
        return None  # none, or a place in this same page
    try:
        absolute = urljoin(base, value.strip())
        scheme = urlsplit(absolute).scheme.lower()
    except ValueError:
        return None
    return absolute if scheme in SHOWN_SCHEMES else None


def _placeholder(element: lxml.html.HtmlElement, text: str) -> None:
    """A visible placeholder just before `element`, which is left for nh3 to drop (lxml may
    nest what follows an <embed> inside it, which an HTML5 parser closes at once)."""
    span = lxml.html.Element("span", {"class": PLACEHOLDER_CLASS})
    span.text = text
    element.addprevious(span)


def _host(value: str | None, base: str) -> str:
    url = _shown_url(value, base)
    return urlsplit(url).hostname or "" if url else ""


def _document_base(doc: lxml.html.HtmlElement, url: str) -> str:
    """What the page's relative links were relative to: its first <base href>, else its URL."""
    for href in doc.xpath("//base/@href")[:1]:
        shown = _shown_url(str(href), url)
        if shown and shown.startswith("http"):
            return shown
    return url


def _rewrite_links_and_media(doc: lxml.html.HtmlElement, url: str) -> None:
    """Links lose their href (kept as text in data-href and title); images and embeds
    become placeholders. A convenience pass: nh3 afterwards enforces the allow-list."""
    base = _document_base(doc, url)
    for link in list(doc.iter("a")):
        target = _shown_url(link.get("href"), base)
        for name in list(link.attrib):
            del link.attrib[name]
        if target:
            link.set("data-href", target)
            link.set("title", target)
    for image in list(doc.iter("img")):
        alt = " ".join((image.get("alt") or "").split())
        _placeholder(image, f"[image: {alt}]" if alt else "[image]")
    for embed in list(doc.iter(*EMBEDS)):
        host = _host(embed.get("src") or embed.get("data"), base)
        _placeholder(embed, f"[{embed.tag} not shown{': ' + host if host else ''}]")


def _keep_shown_urls(tag: str, attribute: str, value: str) -> str | None:
    """nh3's last word on data-href: only a URL of SHOWN_SCHEMES stays (as text)."""
    if attribute == "data-href" and not value.lower().startswith(
            tuple(f"{scheme}:" for scheme in SHOWN_SCHEMES)):
        return None
    return value


def clean_fragment(markup: str) -> str:
    """The allow-list itself: nh3 (Ammonia, an HTML5 parser) keeps what is listed above."""
    return nh3.clean(
        markup, tags=set(ALLOWED_TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes=ALLOWED_ATTRIBUTES, allowed_classes={"span": {PLACEHOLDER_CLASS}},
        attribute_filter=_keep_shown_urls, strip_comments=True, link_rel=None,
        url_schemes=set(),
    )


def _structure(page: str) -> str:
    """The page as an HTML5 parser reads it (a browser's tree, content after </html>
    included), with only what the rewrite needs besides the allow-list: link targets,
    image alt text, the sources of embeds and the <base>; javascript: and other schemes
    gone already. lxml alone would read some pages otherwise (libxml2 stops at </html>)."""
    kept = ALLOWED_TAGS | {"img", "base", *EMBEDS}
    return nh3.clean(
        page, tags=set(kept), clean_content_tags=set(DROPPED_WITH_CONTENT - kept),
        attributes={**ALLOWED_ATTRIBUTES, "a": {"href"}, "img": {"alt"}, "base": {"href"},
                    **{tag: {"src", "data"} for tag in EMBEDS}},
        strip_comments=True, link_rel=None, url_schemes=set(SHOWN_SCHEMES),
    )


def _html_body(text: str, url: str) -> str:
    """The page's body with links, images and embeds rewritten (still to be cleaned)."""
    structure = _structure(text)
    if not structure.strip():
        return ""
    doc = lxml.html.document_fromstring(f"<!DOCTYPE html><html><body>{structure}</body></html>")
    _rewrite_links_and_media(doc, url)
    body = doc.find("body")
    return "" if body is None else lxml.html.tostring(body, encoding="unicode")


def _document(content: str) -> str:
    return ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_META_CSP}\">"
            "<meta name=\"referrer\" content=\"no-referrer\">"
            f"<style>{STYLESHEET}</style></head>\n<body>{content}</body></html>\n")


def sanitised_page(body: bytes, content_type: str | None, url: str) -> str:
    """The page as fetched, as a whole HTML document safe to serve with ARCHIVE_FRAME_CSP:
    decoded as extraction decodes it (declared charset checked against the bytes, cp1251
    and koi8-r guessed), sanitised. Other text (feeds, robots.txt) is shown as plain text,
    anything else only named."""
    media_type = _media_type(content_type)
    if media_type in HTML_TYPES:
        return _document(clean_fragment(_html_body(decode_html(body, content_type or "")[0],
                                                   url)))
    if media_type.startswith("text/") or media_type.endswith(("xml", "json")):
        return _document(f"<pre>{html.escape(decode_html(body, content_type or '')[0])}</pre>")
    return _document(f"<span class=\"{PLACEHOLDER_CLASS}\">[{html.escape(media_type)}: not "
                     "a page to show; download the WARC record]</span>")
