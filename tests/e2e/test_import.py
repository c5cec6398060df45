"""`steppewatch import`: a foreign WARC and a JSON-lines export become the sources' articles
(by host), extracted, tagged and loaded into a real DuckDB warehouse, once however often
they are imported."""

from __future__ import annotations

import json
import shutil
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.helpers import CONFIG, ROOT, invoke
from warehouse.connection import WAREHOUSE_FILE

SITES = ROOT / "tests" / "replay" / "sites"
KLOOP_PATH = "blog/2026/11/06/umer-v-ivs-rodstvenniki-zhitelya-osha-zayavlyayut-o-pytkah/"
KLOOP = f"https://kloop.kg/{KLOOP_PATH}"
KLOOP_FILE = SITES / "kloop.kg" / KLOOP_PATH / "index.html"
TEXT = ("Сотрудники милиции задержали в Бишкеке участников мирного митинга у здания мэрии. "
        "Правозащитники сообщили, что задержанным не предоставили адвокатов, а родственники "
        "несколько часов не могли узнать, где они находятся.\n"
        "В пресс-службе ГУВД заявили, что участники акции нарушили порядок проведения "
        "мирных собраний, и пообещали дать правовую оценку действиям сотрудников.")


def foreign_warc(path: Path) -> Path:
    """What another archiver wrote: an outlet's article, a page of no outlet, an image."""
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, ctype, body in (
            (KLOOP + "?utm_source=telegram", "text/html; charset=UTF-8", KLOOP_FILE.read_bytes()),
            ("https://elsewhere.example/news/story.html", "text/html", b"<html><p>x</p></html>"),
            ("https://kloop.kg/wp-content/uploads/photo.jpg", "image/jpeg", b"\xff\xd8\xff"),
        ):
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                          http_headers=headers))
    return path


def export_lines(path: Path) -> Path:
    rows = [
        {"url": "https://24.kg/english/330814/", "title": "Лавина задержаний в Бишкеке",
         "text": TEXT, "date": "2026-11-20T10:00:00+06:00", "language": "ru"},
        {"url": KLOOP, "title": "the same story again", "text": TEXT, "language": "ru"},
    ]
    lines = [json.dumps(r, ensure_ascii=False) for r in rows] + ["{not json", '{"url": "x"}']
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> dict:
    tmp = tmp_path_factory.mktemp("import")
    config = tmp / "config"
    shutil.copytree(CONFIG, config, ignore=shutil.ignore_patterns("*.md"))
    files = [str(foreign_warc(tmp / "crawl.warc.gz")), str(export_lines(tmp / "export.jsonl"))]
    args = ["--config", str(config), "--data", str(tmp / "data"), "import", *files]
    first = invoke(args, check=False)
    with duckdb.connect(str(tmp / "data" / WAREHOUSE_FILE), read_only=True) as con:
        articles = con.execute("select source_id, url from articles order by url").fetchall()
        topics = con.execute("select count(*) from article_topics").fetchone()[0]
        modes = con.execute("select mode from crawl_runs").fetchall()
    second = invoke(args, check=False)
    with duckdb.connect(str(tmp / "data" / WAREHOUSE_FILE), read_only=True) as con:
        again = con.execute("select source_id, url from articles order by url").fetchall()
    return {"first": first, "second": second, "articles": articles, "again": again,
            "topics": topics, "modes": modes}


def test_pages_go_to_the_source_of_their_host_as_articles(imported: dict) -> None:
    assert imported["articles"] == [("24kg-en", "https://24.kg/english/330814/"),
                                    ("kloop", KLOOP)]
    assert imported["modes"] == [("import",)]
    assert imported["topics"] > 0  # tagged like crawled pages


def test_the_first_import_reports_what_it_did(imported: dict) -> None:
    first = imported["first"]
    assert first.returncode == 1  # the two bad lines
    assert "24kg-en: 1 pages, 1 new articles" in first.stdout
    assert "kloop: 1 pages, 1 new articles" in first.stdout
    assert "1 already stored, 1 on no source's host" in first.stdout  # the duplicate line
    assert "export.jsonl:3: not JSON" in first.stderr
    assert "export.jsonl:4: needs 'url' and 'text'" in first.stderr


def test_a_second_import_adds_nothing(imported: dict) -> None:
    assert imported["again"] == imported["articles"]
    assert "0 pages imported, 3 already stored" in imported["second"].stdout
