"""The archived copy: a capture read back from a real WARC file through a real (read-only)
warehouse, its raw record as a WARC of its own, and a hostile page rendered with nothing
left that runs, loads or leaves."""

from __future__ import annotations

import base64
import hashlib
import io
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from warcio.archiveiterator import ArchiveIterator

from crawlers.warc import WarcArchive, capture_row
from flows.web.archive_copy import (
    ARCHIVE_FRAME_CSP,
    ARCHIVE_FRAME_SANDBOX,
    archived_capture,
    raw_record,
    sanitised_page,
)
from tests.helpers import KLOOP, ROOT, write_rows
from warehouse.connection import open_readonly, open_warehouse
from warehouse.load import SourceRun, load_run
from warehouse.runs import start_run, upsert_sources

HOSTILE = (ROOT / "tests" / "data" / "hostile_page.html").read_text(encoding="utf-8")
PAGE_URL = "https://kloop.kg/2026/11/01/pytki/"
UTF8 = HOSTILE.encode("utf-8")
CP1251 = HOSTILE.replace('charset="utf-8"', 'charset="windows-1251"').encode("cp1251")
# The article's own text, which must all survive (Cyrillic intact).
ARTICLE_TEXT = [
    "Пытки в изоляторе временного содержания", "1 ноября 2026",
    "Родственники задержанного заявили, что сотрудники милиции избивали его в ИВС.",
    "Здание изолятора в Оше", "докладе правозащитников", "Первый пункт", "Второй пункт",
    "Год", "Жалоб", "2025", "42", "«Меня били три часа», — сказал он.", "Текст без стиля",
    "Правозащитники требуют расследования.", "[image: Здание ИВС]",
    "[image: Акция у здания суда]", "[iframe not shown: www.youtube.com]",
]
# What may be in the document at all: text structure, our placeholders and our own head.
ALLOWED_ATTRIBUTES = {"lang", "dir", "title", "data-href", "datetime", "colspan", "rowspan",
                      "scope", "start", "reversed", "type", "value", "span", "class"}
FORBIDDEN_TAGS = {"script", "noscript", "iframe", "frame", "object", "embed", "param", "form",
                  "input", "button", "select", "textarea", "base", "link", "svg", "math",
                  "img", "image", "picture", "source", "video", "audio", "title", "template"}
# Script bodies, CSS, hidden noscript content and URL schemes that must leave no trace.
FORBIDDEN_TEXT = ["alert(", "fetch(", "pwned", "document.", "javascript:", "data:text",
                  "url(", "@import", "@font-face", "pixel-in-noscript", "refresh",
                  "Set-Cookie", "base64", "[if ", "<![", "endif", "Подписаться", "you@example.org"]


def _archive(data: Path, pages: list[tuple[str, bytes, str]]) -> list[str]:
    """A real WARC of `pages` (url, body, content type) loaded as captures; their ids."""
    archive = WarcArchive(data / "warc" / "r1" / "kloop.warc.gz", data)
    rows = []
    for url, body, content_type in pages:
        pointer = archive.write(url, 200, "OK", [("Content-Type", content_type)], body,
                                [("User-Agent", "steppewatch")], kind="article")
        rows.append(capture_row("kloop", pointer, url, "article", 200,
                                {"content-type": content_type}, body,
                                datetime(2026, 11, 1, 10, tzinfo=UTC).isoformat()))
    archive.close()
    write_rows(data / "runs" / "r1" / "kloop" / "captures.jsonl", rows)
    write_rows(data / "runs" / "r1" / "kloop" / "extracted.jsonl", [{  # the first page only
        "article_id": "a-pytki", "url": rows[0]["url"], "canonical_url": None,
        "source_id": "kloop", "capture_id": rows[0]["capture_id"], "title": "Пытки в ИВС",
        "text": "Родственники задержанного заявили.", "author": None, "published_at": None,
        "language": "ru", "description": None, "encoding": "utf-8", "text_sha1": "x",
        "extracted_at": rows[0]["fetched_at"]}])
    with open_warehouse(data) as con:
        upsert_sources(con, [KLOOP])
        start_run(con, "r1", datetime.now(UTC), "replay", None, "v1")
        load_run(con, "r1", data / "runs" / "r1",
                 [SourceRun("kloop", "ok", None, 2, 2, 0, 0, 100, 1.0)])
    return [row["capture_id"] for row in rows]


@pytest.fixture
def archived(tmp_path: Path) -> tuple[Path, list[str]]:
    return tmp_path, _archive(tmp_path, [
        (PAGE_URL, UTF8, "text/html; charset=utf-8"),
        ("https://kloop.kg/2026/11/02/cp1251/", CP1251, "text/html; charset=windows-1251"),
    ])


def test_archived_capture_reads_the_row_and_the_records_warc_fields(archived) -> None:
    data, (first, second) = archived
    with open_readonly(data) as con:
        capture = archived_capture(con, data, first)
        other = archived_capture(con, data, second)
        assert archived_capture(con, data, "no-such-capture") is None
    assert capture is not None and other is not None
    assert (capture.url, capture.kind, capture.http_status, capture.source_id,
            capture.run_id) == (PAGE_URL, "article", 200, "kloop", "r1")
    assert capture.content_type == "text/html; charset=utf-8"
    assert capture.content_sha1 == hashlib.sha1(UTF8).hexdigest()
    assert capture.fetched_at == datetime(2026, 11, 1, 10, tzinfo=UTC)
    assert (capture.warc_file, capture.warc_offset) == ("warc/r1/kloop.warc.gz", 0)
    assert other.warc_offset > capture.warc_offset + capture.warc_length - 1
    assert capture.record_error is None and capture.body == UTF8
    assert capture.payload_digest == "sha1:" + base64.b32encode(
        hashlib.sha1(UTF8).digest()).decode()
    assert capture.digest_matches is True
    assert capture.warc_record_id.startswith("<urn:uuid:")
    assert capture.warc_record_id != other.warc_record_id
    assert capture.warc_date.startswith(str(datetime.now(UTC).year))
    assert capture.response_headers["content-type"] == "text/html; charset=utf-8"
    assert (capture.article_id, capture.article_title) == ("a-pytki", "Пытки в ИВС")
    assert (other.article_id, other.article_title) == (None, None)


def test_a_changed_payload_does_not_match_its_recorded_digest(archived) -> None:
    data, (first, _) = archived
    with open_readonly(data) as con:
        capture = archived_capture(con, data, first)
    tampered = type(capture)(**{**capture.__dict__, "content_sha1": "0" * 40})
    assert tampered.digest_matches is False


def test_raw_record_is_a_one_record_warc_of_its_own(archived) -> None:
    data, ids = archived
    with open_readonly(data) as con:
        captures = [archived_capture(con, data, capture_id) for capture_id in ids]
    for capture, body in zip(captures, (UTF8, CP1251), strict=True):
        raw = raw_record(data, capture)
        assert len(raw) == capture.warc_length
        records = [(r.rec_type, r.rec_headers.get_header("WARC-Target-URI"),
                    r.content_stream().read()) for r in ArchiveIterator(io.BytesIO(raw))]
        assert records == [("response", capture.url, body)]


def test_the_copy_reads_only_our_warc_and_says_when_it_is_gone(archived) -> None:
    data, (first, _) = archived
    (data / "warc" / "r1" / "kloop.warc.gz").rename(data / "moved.warc.gz")
    with open_readonly(data) as con:
        capture = archived_capture(con, data, first)
    assert capture.url == PAGE_URL and capture.body == b""
    assert "cannot read warc/r1/kloop.warc.gz at 0" in capture.record_error
    with pytest.raises(FileNotFoundError):
        raw_record(data, capture)


def test_raw_record_refuses_a_warc_name_outside_the_data_folder(archived) -> None:
    data, (first, _) = archived
    with open_readonly(data) as con:
        capture = archived_capture(con, data, first)
    outside = type(capture)(**{**capture.__dict__, "warc_file": "../../etc/passwd"})
    with pytest.raises(ValueError, match="outside the data folder"):
        raw_record(data, outside)


VARIANTS = [
    pytest.param(UTF8, "text/html; charset=utf-8", id="utf-8"),
    pytest.param(UTF8, "text/html", id="utf-8-no-header-charset"),
    pytest.param(CP1251, "text/html; charset=windows-1251", id="windows-1251"),
    pytest.param(CP1251, "text/html; charset=utf-8", id="windows-1251-wrong-header"),
    pytest.param(CP1251, None, id="windows-1251-no-content-type"),
]


def _our_head(doc: lxml.html.HtmlElement) -> None:
    """The head holds our charset, CSP, referrer policy and stylesheet, nothing else."""
    head = doc.find("head")
    assert [el.tag for el in head] == ["meta", "meta", "meta", "style"]
    assert [dict(el.attrib) for el in head.findall("meta")][0] == {"charset": "utf-8"}
    assert head.findall("meta")[1].get("content").startswith("default-src 'none'")
    assert dict(head.findall("meta")[2].attrib) == {"name": "referrer",
                                                   "content": "no-referrer"}
    style = head.find("style").text
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in ARCHIVE_FRAME_CSP  # only ours may apply
    head.getparent().remove(head)


@pytest.mark.parametrize(("body", "content_type"), VARIANTS)
def test_nothing_active_survives_a_hostile_page(body: bytes, content_type: str | None) -> None:
    page = sanitised_page(body, content_type, PAGE_URL)
    doc = lxml.html.document_fromstring(page)
    _our_head(doc)
    for element in doc.iter():
        if not isinstance(element.tag, str):
            raise AssertionError(f"a comment or processing instruction survived: {element}")
        assert element.tag not in FORBIDDEN_TAGS | {"meta", "style"}, element.tag
        for name, value in element.attrib.items():
            assert name in ALLOWED_ATTRIBUTES, (element.tag, name, value)
            if name == "class":
                assert (element.tag, value) == ("span", "archived-media")
            if name in ("data-href", "title") and element.tag == "a":
                assert value == element.get("data-href")
                assert value.startswith(("https://", "http://"))
    rendered = lxml.html.tostring(doc, encoding="unicode")
    for text in FORBIDDEN_TEXT:
        assert text.lower() not in rendered.lower(), text
    for where in ("evil.example", "youtube"):
        for element in doc.iter():
            if where in (element.text or ""):
                assert element.get("class") == "archived-media", element.text  # named only


@pytest.mark.parametrize(("body", "content_type"), VARIANTS)
def test_the_articles_text_survives_in_its_structure(body: bytes,
                                                     content_type: str | None) -> None:
    doc = lxml.html.document_fromstring(sanitised_page(body, content_type, PAGE_URL))
    text = " ".join(doc.find("body").text_content().split())
    for passage in ARTICLE_TEXT:
        assert passage in text
    assert doc.xpath("string(//article/h1)") == "Пытки в изоляторе временного содержания"
    assert doc.xpath("//table//th/text()") == ["Год", "Жалоб"]
    assert doc.xpath("//figure/figcaption/text()") == ["Здание изолятора в Оше"]
    assert doc.xpath("//time/@datetime") == ["2026-11-01T10:00:00+06:00"]


def test_text_is_read_as_a_browser_reads_it_even_after_the_end_of_the_page() -> None:
    """Pages that go on after </html> (appended blocks, a page served twice) lose nothing:
    an HTML5 parser reads on, as a browser does."""
    page = UTF8 + "<p>Приписка после конца страницы</p>".encode() + UTF8
    doc = lxml.html.document_fromstring(sanitised_page(page, "text/html", PAGE_URL))
    text = doc.find("body").text_content()
    assert "Приписка после конца страницы" in text
    assert text.count("Правозащитники требуют расследования.") == 2
    assert not doc.xpath("//script | //img | //iframe | //@href | //@src")


def test_links_show_where_they_went_and_cannot_be_followed() -> None:
    doc = lxml.html.document_fromstring(sanitised_page(UTF8, "text/html", PAGE_URL))
    links = {" ".join(a.text_content().split()): dict(a.attrib) for a in doc.iter("a")}
    report = "https://kloop.kg/blog/2026/11/01/report/"
    assert links["докладе правозащитников"] == {"data-href": report, "title": report}
    for scripted in ("ссылка-скрипт", "ссылка-данные", "ссылка-регистр"):
        assert links[scripted] == {}  # text kept, the javascript:/data: URL gone
    relative = "https://evil.example/base/news/relative"  # as the page's <base> made it
    assert links["относительная ссылка"] == {"data-href": relative, "title": relative}
    assert not doc.xpath("//@href | //@src | //@srcset | //@action | //@target | //@ping")


def test_frame_policy_grants_nothing() -> None:
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in ARCHIVE_FRAME_CSP.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["sandbox"] == ""  # no allow-scripts, allow-same-origin, allow-forms...
    assert directives["base-uri"] == "'none'" and directives["form-action"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert "unsafe" not in ARCHIVE_FRAME_CSP and "img-src" not in ARCHIVE_FRAME_CSP
    assert ARCHIVE_FRAME_SANDBOX == ""


def test_text_is_shown_as_text_and_other_payloads_only_named() -> None:
    feed = sanitised_page('<rss><title>Митинг</title><script>x</script></rss>'.encode(),
                          "application/rss+xml", PAGE_URL)
    body = lxml.html.document_fromstring(feed).find("body")
    assert [el.tag for el in body] == ["pre"]
    assert body[0].text == "<rss><title>Митинг</title><script>x</script></rss>"
    image = sanitised_page(b"\x89PNG\r\n\x1a\n<script>", "image/png", PAGE_URL)
    assert "<script>" not in image and "[image/png: not a page to show" in image
    assert "<body></body>" in sanitised_page(b"", "text/html", PAGE_URL)
