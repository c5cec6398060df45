"""What tests in tests/unit and tests/e2e share: paths, running the command (in process or
as a subprocess), and builders of small warehouses and config folders. No tests here, no
fixtures (those are in tests/conftest.py)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import traceback
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from flows.settings import AlertRule
from warehouse.connection import open_warehouse
from warehouse.load import SourceRun, load_run
from warehouse.runs import start_run, upsert_sources
from warehouse.search import refresh_search_index

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "config"
SITES = ROOT / "tests" / "replay" / "sites"
SPECIAL = ROOT / "tests" / "replay" / "special"
BIN = Path(sys.executable).parent

# The outlets of the small demo (tests/conftest.py: small_demo), one run shared by the tests
# of restarts, verification and the Dask runner.
SMALL_DEMO_SOURCES = ("kloop", "24kg", "azattyq-ru")

# The warehouse tables whose row counts the full demo records after its first run.
DEMO_TABLES = ("sources", "captures", "articles", "article_topics", "run_errors",
               "alert_deliveries")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- the command --------------------------------------------------------------------------

def run_cli(args: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT,
            check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the steppewatch command as a user types it, in its own process. For what needs
    a process of its own: demos, serve, signals, several processes at once."""
    proc = subprocess.run([str(BIN / "steppewatch"), *args], cwd=cwd, text=True,
                          capture_output=True, env={**os.environ, **(env or {})}, input=stdin,
                          timeout=900)
    if check and proc.returncode != 0:
        raise AssertionError(f"steppewatch {' '.join(args)} failed ({proc.returncode}):\n"
                             f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


def invoke(args: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT,
           check: bool = True, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The same as run_cli, in this process (typer's CliRunner): returncode, stdout and
    stderr as the subprocess gives them, without a Python start per command."""
    from typer.testing import CliRunner

    from flows.cli import app

    before = Path.cwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, args, input=stdin, env=env)
    finally:
        os.chdir(before)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))  # as Python prints it
    proc = subprocess.CompletedProcess(["steppewatch", *args], result.exit_code,
                                       result.stdout, stderr)
    if check and proc.returncode != 0:
        raise AssertionError(f"steppewatch {' '.join(args)} failed ({proc.returncode}):\n"
                             f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


# --- staged files and small warehouses ----------------------------------------------------

def write_rows(path: Path, rows: list[dict]) -> None:
    """Rows as a JSON-lines file, the way the crawl and extract steps stage them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


KLOOP = {"source_id": "kloop", "name": "Kloop", "family": "wordpress", "countries": ["KG"],
         "languages": ["ru"], "base_url": "https://kloop.kg/"}

# (language, country, title, text): real-language sentences about police, protest, torture.
SEARCH_ARTICLES = [
    ("ru", "KG", "Пытки в ИВС Оша", "Родственники задержанного заявляют, что его пытали "
     "сотрудники милиции."),
    ("en", "KZ", "Police detain protesters in Almaty", "Human rights groups said the police "
     "tortured detained protesters."),
    ("kk", "KZ", "Алматыда наразылық акциясы", "Полиция қызметкерлері бейбіт жиынға "
     "қатысушыларды ұстады."),
    ("ky", "KG", "Бишкекте нааразылык акциясы", "Милиция кызматкерлери тынчтык жыйынынын "
     "катышуучуларын кармады; кыйноо тууралуу арыздар бар."),
    ("uz", "UZ", "Oʻzbekistonda qiynoqlar haqida hisobot", "Huquq himoyachilari militsiya "
     "boʻlimlarida gʻayriqonuniy qiynoqlar davom etayotganini aytdi."),
    ("tg", "TJ", "Шиканҷа дар боздоштгоҳи Душанбе", "Ҳимоятгарони ҳуқуқ мегӯянд, ки "
     "кормандони милитсия боздоштшудагонро шиканҷа кардаанд."),
]


def stage_search_articles(run_dir: Path) -> None:
    now = datetime.now(UTC).isoformat()
    captures, extracted, tagged = [], [], []
    for number, (lang, _country, title, text) in enumerate(SEARCH_ARTICLES):
        source = f"src-{lang}"
        url = f"https://{lang}.example.org/news/{number}"
        captures.append({
            "capture_id": f"c-{lang}", "source_id": source, "url": url, "kind": "article",
            "http_status": 200, "content_type": "text/html", "content_sha1": lang, "bytes": 10,
            "warc_file": f"warc/r/{source}.warc.gz", "warc_offset": 0, "warc_length": 10,
            "fetched_at": now})
        extracted.append({
            "article_id": f"a-{lang}", "url": url, "canonical_url": None, "source_id": source,
            "capture_id": f"c-{lang}", "title": title, "text": text, "author": None,
            "published_at": f"2026-11-0{number + 1}T10:00:00+00:00", "language": lang,
            "description": None, "encoding": "utf-8", "text_sha1": lang, "extracted_at": now})
        tagged.append({"article_id": f"a-{lang}", "topic": "torture" if number % 2 else "police",
                       "score": 1.0, "matches": [], "topics_version": "v1", "tagged_at": now})
    write_rows(run_dir / "all" / "captures.jsonl", captures)
    write_rows(run_dir / "all" / "extracted.jsonl", extracted)
    write_rows(run_dir / "all" / "tagged.jsonl", tagged)


def build_search_warehouse(data: Path) -> None:
    """Six stories, one per language (KG KZ KZ KG UZ TJ; topics police and torture), loaded
    and indexed for full-text search."""
    sources = [{"source_id": f"src-{lang}", "name": f"Outlet {lang}", "family": "wordpress",
                "countries": [country], "languages": [lang], "base_url": "https://x.org/"}
               for lang, country, _t, _x in SEARCH_ARTICLES]
    stage_search_articles(data / "runs" / "r")
    with open_warehouse(data) as con:
        upsert_sources(con, sources)
        start_run(con, "r", datetime.now(UTC), "replay", None, "v1")
        load_run(con, "r", data / "runs" / "r",
                 [SourceRun(s["source_id"], "ok", None, 1, 1, 0, 0, 10, 0.1) for s in sources])
        refresh = refresh_search_index(con)
    assert (refresh.documents, refresh.added) == (len(SEARCH_ARTICLES), len(SEARCH_ARTICLES))


# --- alerts: articles of a run, a config folder with channels, an HTTP endpoint -----------

ALERT_SOURCES = [
    KLOOP,
    {"source_id": "24kg", "name": "24.kg", "family": "custom", "countries": ["KG"],
     "languages": ["ru"], "base_url": "https://24.kg/"},
    {"source_id": "asia-plus", "name": "Asia-Plus", "family": "custom", "countries": ["TJ"],
     "languages": ["ru"], "base_url": "https://asiaplustj.info/"},
]
MALICIOUS_TITLE = ('<script>document.title="pwned"</script><img src=x '
                   'onerror="document.body.appendChild(document.createElement(\'hr\'))">Пытки')


@dataclass
class Article:
    article_id: str
    title: str
    text: str
    topics: dict[str, list[str]]  # topic -> surface forms found in the text
    source_id: str = "kloop"
    days_ago: int = 1

    @property
    def url(self) -> str:
        return f"https://example.test/{self.source_id}/{self.article_id}"


def _matches(text: str, surfaces: list[str]) -> list[dict]:
    found = []
    for surface in surfaces:
        start = text.find(surface)
        assert start >= 0, f"{surface!r} is not in the text"
        found.append({"term": surface.lower(), "surface": surface, "field": "text",
                      "start": start, "end": start + len(surface)})
    return found


def load_articles(data: Path, run_id: str, articles: list[Article]) -> None:
    """One run's articles, tags and source figures, loaded as the nightly load step does."""
    run_dir = data / "runs" / run_id
    now = datetime.now(UTC)
    for source in {a.source_id for a in articles}:
        mine = [a for a in articles if a.source_id == source]
        write_rows(run_dir / source / "captures.jsonl", [{
            "capture_id": f"c-{a.article_id}", "source_id": source, "url": a.url,
            "kind": "article", "http_status": 200, "content_type": "text/html",
            "content_sha1": "x", "bytes": 10, "warc_file": f"warc/{run_id}/{source}.warc.gz",
            "warc_offset": i, "warc_length": 1, "fetched_at": now.isoformat()}
            for i, a in enumerate(mine)])
        write_rows(run_dir / source / "extracted.jsonl", [{
            "article_id": a.article_id, "url": a.url, "canonical_url": None, "source_id": source,
            "capture_id": f"c-{a.article_id}", "title": a.title, "text": a.text, "author": None,
            "published_at": (now - timedelta(days=a.days_ago)).isoformat(), "language": "ru",
            "description": None, "encoding": "utf-8", "text_sha1": a.article_id,
            "extracted_at": now.isoformat()} for a in mine])
        write_rows(run_dir / source / "tagged.jsonl", [{
            "article_id": a.article_id, "topic": topic, "score": float(len(surfaces)),
            "matches": _matches(a.text, surfaces), "topics_version": "v1",
            "tagged_at": now.isoformat()} for a in mine for topic, surfaces in a.topics.items()])
    runs = [SourceRun(s["source_id"], "ok", None, 5, 2, 0, 0, 100, 1.0) for s in ALERT_SOURCES]
    with open_warehouse(data) as con:
        upsert_sources(con, ALERT_SOURCES)
        start_run(con, run_id, now, "replay", None, "v1")
        load_run(con, run_id, run_dir, runs)


REPORT_RULE = AlertRule("rights", ("police", "protest", "torture"))
WIRE = ("Сотрудники милиции задержали в Бишкеке двенадцать участников акции против вырубки "
        "деревьев у здания мэрии. По словам очевидцев, задержанных доставили в Октябрьское "
        "РУВД, где на них составили протоколы об административном правонарушении. Позже "
        "всех отпустили, но двоим грозит штраф. Акцию организовали жители соседних домов.")


def report_articles() -> list[Article]:
    """Four stories for a report: a malicious headline, a wire story and its reprint on
    another outlet, one from Tajikistan."""
    return [
        Article("a-evil", MALICIOUS_TITLE, "В изоляторе задержанного подвергли пыткам, "
                "заявили родственники.", {"torture": ["пыткам"], "police": ["изоляторе"]}),
        Article("a-wire1", "В Бишкеке задержали участников акции", WIRE,
                {"police": ["милиции"], "protest": ["акции"]}, "kloop", days_ago=2),
        Article("a-wire2", "Участников акции у мэрии Бишкека задержали",
                WIRE + " Фото: 24.kg", {"police": ["милиции"], "protest": ["акции"]}, "24kg",
                days_ago=1),
        Article("a-tj", "В Душанбе прошёл пикет", "Жители Душанбе вышли на пикет у хукумата.",
                {"protest": ["пикет"]}, "asia-plus", days_ago=3),
    ]


def config_dir(tmp: Path, channels: str = "", rule_channels: str = '["file"]',
               extra_rules: str = "") -> Path:
    """A config folder: the project's sources and topics, settings with the given channels."""
    folder = tmp / "config"
    folder.mkdir(exist_ok=True)
    for name in ("sources.toml", "topics.toml", "places.toml"):
        if (CONFIG / name).exists():
            shutil.copy(CONFIG / name, folder / name)
    (folder / "settings.toml").write_text(f"""
[replay]
sites = "{SITES}"

[[alerts.rules]]
name = "rights"
topics = ["police", "protest", "torture"]
channels = {rule_channels}
{extra_rules}
{channels}
""")
    return folder


def config_copy(tmp_path: Path) -> Path:
    """A copy of the project's config folder, to change a file in."""
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    return config


def police_story(article_id: str, title: str, source: str = "kloop") -> Article:
    """A story tagged police, with its title in the text."""
    return Article(article_id, title, f"{title}: сотрудники милиции задержали {article_id}.",
                   {"police": ["милиции"]}, source)


@dataclass
class Endpoint:
    """A real HTTP server on 127.0.0.1 that records JSON posts and answers as told."""
    url: str
    posts: list[dict] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)  # answers to come; then 200
    on_post: Callable[[dict], None] | None = None
    answer: bytes = b'{"ok": true, "result": {}}'


@contextmanager
def http_endpoint() -> Iterator[Endpoint]:
    endpoint = Endpoint(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            body = self.rfile.read(int(self.headers["Content-Length"]))
            post = {"path": self.path, "headers": dict(self.headers), "json": json.loads(body)}
            status = endpoint.statuses.pop(0) if endpoint.statuses else 200
            if status == 200:
                endpoint.posts.append(post)
            if endpoint.on_post:
                endpoint.on_post(post)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(endpoint.answer if status == 200 else b'{"ok": false}')

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    endpoint.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def served_workspace(data: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """`steppewatch web` on a free loopback port over `data`, once it answers: its base
    address and process; stopped on leaving."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    server = subprocess.Popen([str(BIN / "steppewatch"), "--config", str(CONFIG), "--data",
                               str(data), "web", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"steppewatch web exited: {server.stdout.read()}")
            try:
                with urllib.request.urlopen(f"{base}/runs", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("steppewatch web did not answer within 60 s") from None
                time.sleep(0.2)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)
