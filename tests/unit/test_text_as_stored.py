"""Text is shown exactly as stored (issue 14, item 3).

Scraped titles, texts, authors and outlet names, and error messages, carry strings that
mean something to Rich (markup, :emoji: codes), to HTML and to Markdown. The CLI prints
them as they are; the HTML and Markdown reports escape them so they show as text and never
as live markup or links; the JSON report and the csv/json outputs keep them as plain data.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from rich.console import Console
from typer.testing import CliRunner

from flows.alerts.channels import RenderedReport
from flows.alerts.delivery import rule_report
from flows.alerts.report import markdown_escape, markdown_line
from flows.cli import app
from flows.cli.output import print_table
from flows.settings import AlertRule
from tests.helpers import Article, config_dir, load_articles
from warehouse.connection import open_warehouse
from warehouse.search import refresh_search_index

NASTY = ("[b]bold[/b] [/] [link=http://x]y[/link] :x: <script>alert(1)</script> "
         "<img src=x onerror=alert(1)> [click](javascript:alert(1)) *em* _em_ `code` "
         "&amp; a|b ~~gone~~")
TITLE = f"Пытки {NASTY}"
TEXT = f"{NASTY} Сотрудники милиции задержали активиста. {NASTY}"
AUTHOR = f"Автор {NASTY}"
OUTLET = f"Kloop {NASTY}"
HEALTH_MESSAGE = f"robots said no: {NASTY}"
ERROR_MESSAGE = f"no text in '{NASTY}'"
JS_URL = "javascript:alert(document.domain)"
RULE = AlertRule("rights", ("police", "protest", "torture"))
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse whose stored text and messages carry every kind of markup."""
    folder = tmp_path_factory.mktemp("as-stored") / "data"
    load_articles(folder, "run1", [
        Article("a-nasty", TITLE, TEXT, {"police": ["милиции"]}),
        Article("a-js", f"Без ссылки {NASTY}", "Жители Душанбе вышли на пикет у здания "
                "хукумата с требованием отменить решение о сносе рынка. Полиция наблюдала за "
                "акцией со стороны и никого не задержала. Участники разошлись через два часа, "
                "передав обращение заместителю председателя города.", {"protest": ["пикет"]},
                "asia-plus"),
        Article("a-reprint", "Перепечатка", TEXT + " Фото: 24.kg", {"police": ["милиции"]},
                "24kg", days_ago=0),
    ])
    with open_warehouse(folder) as con:
        con.execute("UPDATE articles SET author = ? WHERE article_id = 'a-nasty'", [AUTHOR])
        con.execute("UPDATE articles SET url = ? WHERE article_id = 'a-js'", [JS_URL])
        con.execute("UPDATE articles SET url = ? WHERE article_id = 'a-reprint'",
                    ["javascript:alert(2)"])
        con.execute("UPDATE sources SET name = ? WHERE source_id = 'kloop'", [OUTLET])
        con.execute("UPDATE source_runs SET status = 'failed', message = ? "
                    "WHERE run_id = 'run1' AND source_id = '24kg'", [HEALTH_MESSAGE])
        con.execute("INSERT INTO run_errors (run_id, source_id, url, stage, kind, message) "
                    "VALUES ('run1', 'kloop', 'https://example.test/kloop/x', 'extract', "
                    "'no_text', ?)", [ERROR_MESSAGE])
        refresh_search_index(con)
    return folder


def cli(data: Path, *args: str, code: int = 0) -> tuple[str, str]:
    """The command run in-process on a wide terminal; its stdout and stderr."""
    result = CliRunner().invoke(app, ["--data", str(data), *args], env={"COLUMNS": "3000"})
    assert result.exit_code == code, (result.stdout, result.stderr, result.exception)
    return ANSI.sub("", result.stdout), ANSI.sub("", result.stderr)


# --- the CLI -----------------------------------------------------------------------------

def test_sql_table_shows_cells_exactly_as_stored(data: Path) -> None:
    out, _ = cli(data, "sql", "SELECT a.title, a.author, s.outlet FROM stories s JOIN articles a "
                 "USING (article_id) WHERE article_id = 'a-nasty'")
    cells = [c.strip() for c in out.splitlines()[3].strip("│").split("│")]
    assert cells == [TITLE, AUTHOR, OUTLET]
    assert "❌" not in out


def test_sql_table_shows_error_messages_exactly_as_stored(data: Path) -> None:
    out, _ = cli(data, "sql", "SELECT message FROM run_errors UNION ALL "
                 "SELECT message FROM source_runs WHERE message IS NOT NULL ORDER BY 1")
    rows = [line.strip("│ ") for line in out.splitlines() if line.startswith("│")]
    assert rows == [ERROR_MESSAGE, HEALTH_MESSAGE]


def test_sql_table_written_to_a_file_is_as_stored(data: Path, tmp_path: Path) -> None:
    target = tmp_path / "table.txt"
    cli(data, "sql", "SELECT title FROM articles WHERE article_id = 'a-nasty'",
        "--output", str(target))
    assert f"│ {TITLE} │" in target.read_text(encoding="utf-8")


def test_sql_csv_and_json_are_the_stored_values(data: Path) -> None:
    query = "SELECT title, author, text FROM articles WHERE article_id = 'a-nasty'"
    rows = list(csv.reader(io.StringIO(cli(data, "sql", query, "--format", "csv")[0])))
    assert rows == [["title", "author", "text"], [TITLE, AUTHOR, TEXT]]
    records = json.loads(cli(data, "sql", query, "--format", "json")[0])
    assert records == [{"title": TITLE, "author": AUTHOR, "text": TEXT}]


def test_search_prints_title_outlet_and_snippet_as_stored(data: Path) -> None:
    out, _ = cli(data, "search", "милиции", "--topic", "police", "--country", "KG")
    lines = out.splitlines()
    assert any(re.fullmatch(rf"\d\. {re.escape(TITLE)}", line) for line in lines), out
    assert any(f" · {OUTLET} · KG · ru [police] · score " in line for line in lines), out
    snippet = next(line for line in lines if "милиции задержали" in line)
    assert snippet.startswith("   …") and snippet.endswith("…")
    assert len(snippet) > 150 and snippet.strip(" …") in TEXT  # no ** and nothing dropped


def test_search_as_json_is_the_stored_text(data: Path) -> None:
    hits = json.loads(cli(data, "search", "милиции", "--format", "json")[0])
    nasty = next(h for h in hits if h["article_id"] == "a-nasty")
    assert (nasty["title"], nasty["outlet"]) == (TITLE, OUTLET)
    assert "**милиции**" in nasty["snippet"]
    assert nasty["snippet"].replace("**", "").strip("…") in TEXT


@pytest.mark.parametrize("args", [
    ["search", "пытки", "--since", "[/]"],
    ["search", "пытки", "--since", NASTY],
    ["sql", f'SELECT * FROM "{NASTY}"'],
])
def test_an_error_quoting_markup_is_one_line_as_given(data: Path, args: list[str]) -> None:
    _, err = cli(data, *args, code=1)
    quoted = args[-1] if args[0] == "search" else NASTY
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ") and quoted in err


def test_a_settings_error_keeps_its_bracketed_table_name(data: Path, tmp_path: Path) -> None:
    config = config_dir(tmp_path, rule_channels='["desk"]')
    result = CliRunner().invoke(app, ["--config", str(config), "--data", str(data), "alerts",
                                      "--dry-run"])
    assert result.exit_code == 1
    assert result.stderr.rstrip().endswith("define it in [alerts.channels.desk]")


def test_an_unknown_rule_is_quoted_as_typed(data: Path, tmp_path: Path) -> None:
    config = config_dir(tmp_path)
    result = CliRunner().invoke(app, ["--config", str(config), "--data", str(data), "alerts",
                                      "--rule", NASTY, "--dry-run"])
    assert result.exit_code == 1 and f"no alert rule {NASTY!r}" in result.stderr


def test_fail_prints_the_message_as_given(capsys: pytest.CaptureFixture[str]) -> None:
    import typer

    from flows.cli.app import fail

    with pytest.raises(typer.Exit):
        fail(f"cannot read '[/]' {NASTY}")
    assert ANSI.sub("", capsys.readouterr().err) == f"error: cannot read '[/]' {NASTY}\n"


def test_run_summary_shows_a_source_message_as_stored(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.cli.run import _print_summary

    monkeypatch.setenv("COLUMNS", "3000")
    _print_summary({"run_id": "r[/]1", "status": "partial", "reports": [], "articles_new": {},
                    "sources": [{"source_id": "kloop", "status": "failed", "crawl": None,
                                 "message": HEALTH_MESSAGE, "extract_errors": 0}]})
    out = ANSI.sub("", capsys.readouterr().out)
    assert "run r[/]1 — partial" in out and f"│ {HEALTH_MESSAGE} │" in out


def test_print_table_never_parses_cells_even_on_a_markup_console() -> None:
    console = Console(file=io.StringIO(), width=3000, markup=True, emoji=True)
    print_table(console, ["[b]col[/b]"], [[NASTY], [None], [3]], title=":x: [/]")
    printed = console.file.getvalue()
    assert ":x: [/]" in printed and "[b]col[/b]" in printed and f"│ {NASTY} │" in printed


def test_dry_run_prints_the_markdown_report_unparsed(data: Path, tmp_path: Path) -> None:
    config = config_dir(tmp_path)
    result = CliRunner().invoke(app, ["--config", str(config), "--data", str(data), "alerts",
                                      "--dry-run"], env={"COLUMNS": "3000"})
    assert result.exit_code == 0, result.stderr
    assert f"[{markdown_escape(TITLE)}](<https://example.test/kloop/a-nasty>)" in result.stdout


# --- the reports -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(data: Path) -> RenderedReport:
    with open_warehouse(data) as con:
        return rule_report(con, RULE, "file", "run1", datetime.now(UTC))


class Page(HTMLParser):
    """Tags, attributes and text of an HTML page, as a browser's parser would see them."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.texts: list[str] = []
        self.links: dict[str, str] = {}  # link text -> href
        self._href: str | None = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "a":
            self._href = dict(attrs).get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        if self._href is not None:
            self.links[data] = self._href


def assert_inert(page: Page) -> None:
    names = {tag for tag, _ in page.tags}
    assert not names & {"script", "img", "iframe", "object", "embed"}, names
    for tag, attrs in page.tags:
        assert not any(k.startswith("on") for k in attrs), (tag, attrs)
        if tag == "a":
            assert re.match(r"https?://", attrs.get("href") or ""), attrs


def test_html_report_shows_scraped_text_as_text(rendered: RenderedReport) -> None:
    page = Page(rendered.html)
    assert_inert(page)
    assert page.links[TITLE] == "https://example.test/kloop/a-nasty"
    assert any(t.startswith(f"{OUTLET} · ") for t in page.texts)
    assert f" задержали активиста. {NASTY}" in page.texts  # the snippet after <mark>
    assert f"Без ссылки {NASTY}" in page.texts and f"({JS_URL})" in page.texts
    assert "(javascript:alert(2))" in page.texts  # the reprint's address, as text
    assert f"failed: {HEALTH_MESSAGE}" in page.texts


def markdown_page(markdown: str) -> Page:
    """The Markdown rendered as a CommonMark renderer with raw HTML and tables does it."""
    return Page(MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
                .render(markdown))


def test_markdown_report_escapes_html_links_and_emphasis(rendered: RenderedReport) -> None:
    md = rendered.markdown
    assert "<script" not in md and "<img" not in md
    assert re.search(r"(?<!\\)\]\(javascript", md) is None  # no link to javascript:
    page = markdown_page(md)
    assert_inert(page)
    assert not {tag for tag, _ in page.tags} & {"em", "code", "del", "s"}
    assert page.links[TITLE] == "https://example.test/kloop/a-nasty"
    text = "".join(page.texts)
    assert f"Без ссылки {NASTY} ({JS_URL})" in text
    assert f"{OUTLET}, " in text and f"failed: {HEALTH_MESSAGE}" in text
    assert f"милиции задержали активиста. {NASTY}" in text
    assert "Перепечатка" not in text and "javascript:alert(2)" in text  # reprint's address


def test_markdown_escape_keeps_line_and_block_structure() -> None:
    for raw in ("- not a list", "1. not a list", "# not a heading", "> not a quote",
                "line\nbreak", "    not code", "=", "---", "a\\b", "&lt;b&gt;"):
        page = markdown_page(f"> {markdown_line(raw)}")
        assert [t for t, _ in page.tags] == ["blockquote", "p"], (raw, page.tags)
        assert "".join(page.texts).strip() == " ".join(raw.split()), raw


def test_json_report_is_the_stored_data(rendered: RenderedReport) -> None:
    report = json.loads(rendered.json)
    story = next(s for s in report["stories"] if s["article_id"] == "a-nasty")
    assert (story["title"], story["outlet"], story["url"]) == (
        TITLE, OUTLET, "https://example.test/kloop/a-nasty")
    assert NASTY in "".join(part["text"] for part in story["snippet"])
    assert story["also_reported_by"][0]["url"] == "javascript:alert(2)"
    js = next(s for s in report["stories"] if s["article_id"] == "a-js")
    assert js["url"] == JS_URL
    health = {h["source_id"]: h for h in report["source_health"]}
    assert health["24kg"]["flag"] == f"failed: {HEALTH_MESSAGE}"
