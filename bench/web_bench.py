"""The workspace under a large warehouse: p50 and p95 of every page kind, served as users get it.

    nice -n 5 .venv/bin/python bench/web_bench.py [--articles 100000] [--requests 40]
        [--data DIR] [--json] [--baseline REV]

Builds a warehouse of N synthetic articles with everything the pages read (bench/web_data.py;
with --data an existing one of at least N articles is reused), starts `steppewatch --data DIR
web` on 127.0.0.1 in its own process, warms it up, then requests each page kind --requests
times with varied parameters (filters, searches in several languages, page numbers, story,
capture, outlet and run ids), one request at a time and the kinds in turn, timing each from
this process (wall time until the whole body is read; and until its first byte, when a
download starts). Prints the machine, the load average at start and end, what opening a
read-only connection costs, and a Markdown table of p50 and p95 (nearest rank) per page
kind; --json prints {page: {p50_ms, p95_ms, n, ...}} instead (the Markdown then goes to
stderr). Beside the wall times, the server process's own CPU time per
request (p50; /proc, 10 ms ticks): on a shared machine the wall time grows with the load.

--baseline REV also serves the workspace of git revision REV (its files extracted to a
temporary folder) over the same warehouse and sends every request to both, alternating
which goes first: before and after under the same load. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb
import httpx

from bench.web_data import build
from warehouse.connection import WAREHOUSE_FILE, open_readonly

ROOT = Path(__file__).resolve().parents[1]
STEPPEWATCH = Path(sys.executable).with_name("steppewatch")
WARMUP = 2  # requests per page kind before timing (--warmup)
SEARCH_WORDS = ("милиция", "пытки", "задержали", "протест", "суд", "митинг", "журналист",
                "police", "protest", "torture", "court", "азаптау", "наразылық", "кыйноо",
                "namoyish", "qiynoq", "шиканҷа", "Бишкек", "Алматы", "задержали активистов",
                "police detained", "пытки в СИЗО")
TOPICS = ("police", "protest", "torture")
KINDS = ("stories", "stories search", "story", "stories.csv", "stories.json",
         "stories.parquet", "archive", "archive page", "archive record", "sources", "source",
         "runs", "run", "reports", "corrections")


@dataclass(frozen=True)
class Sample:
    """Ids and values of the warehouse to vary the requests with."""
    articles: list[str]
    captures: list[str]
    sources: list[str]
    runs: list[str]
    countries: list[str]
    languages: list[str]
    first_day: date
    last_day: date


def sample(data: Path, rng: random.Random) -> Sample:
    with open_readonly(data, fts=False) as con:
        def column(sql: str) -> list:
            return [r[0] for r in con.execute(sql).fetchall()]

        articles = column("SELECT article_id FROM articles USING SAMPLE 400 ROWS (reservoir, 7)")
        captures = column("SELECT capture_id FROM captures USING SAMPLE 400 ROWS (reservoir, 7)")
        first, last = con.execute("SELECT min(day), max(day) FROM stories").fetchone()
        return Sample(sorted(articles), sorted(captures),
                      column("SELECT source_id FROM sources ORDER BY 1"),
                      column("SELECT run_id FROM crawl_runs ORDER BY 1"),
                      column("SELECT DISTINCT unnest(countries) FROM sources ORDER BY 1"),
                      column("SELECT DISTINCT language FROM articles ORDER BY 1"), first, last)


class Paths:
    """The URL of the i-th request of each page kind, varied by a seeded generator."""

    def __init__(self, s: Sample, rng: random.Random) -> None:
        self.s, self.rng = s, rng

    def _window(self, days: int) -> dict[str, str]:
        span = (self.s.last_day - self.s.first_day).days
        start = self.s.first_day + timedelta(days=self.rng.randint(0, max(span - days, 0)))
        return {"from": start.isoformat(), "to": (start + timedelta(days=days)).isoformat()}

    def filters(self, i: int) -> list[tuple[str, str]]:
        """Filter states of the stories list: none, each filter, windows, combinations."""
        r = self.rng
        choices: list[Callable[[], dict[str, str]]] = [
            lambda: {}, lambda: {"topic": r.choice(TOPICS)},
            lambda: {"country": r.choice(self.s.countries)},
            lambda: {"outlet": r.choice(self.s.sources)},
            lambda: {"lang": r.choice(self.s.languages)},
            lambda: self._window(r.choice((7, 30, 90))), lambda: {"all": "1"},
            lambda: {"topic": r.choice(TOPICS), "country": r.choice(self.s.countries),
                     **self._window(30)},
            lambda: {"all": "1", "lang": r.choice(self.s.languages), **self._window(7)},
        ]
        pairs = list(choices[i % len(choices)]().items())
        if i % 4 == 3:
            pairs.append(("page", str(r.randint(2, 40))))
        return pairs

    def search(self, i: int) -> list[tuple[str, str]]:
        pairs = [("q", self.rng.choice(SEARCH_WORDS))]
        if i % 3 == 1:
            pairs += [("topic", self.rng.choice(TOPICS))]
        if i % 3 == 2:
            pairs += [("all", "1"), ("country", self.rng.choice(self.s.countries))]
        if i % 5 == 4:
            pairs.append(("page", "2"))
        return pairs

    def export(self, i: int) -> list[tuple[str, str]]:
        """An export of a selection one might share: a topic and country over a month or a
        quarter, or a search."""
        r = self.rng
        if i % 3 == 2:
            return [("q", r.choice(SEARCH_WORDS)), ("country", r.choice(self.s.countries))]
        return [("topic", r.choice(TOPICS)), ("country", r.choice(self.s.countries)),
                *self._window(30 if i % 3 == 0 else 90).items()]

    def path(self, kind: str, i: int) -> str:
        r, s = self.rng, self.s
        capture = r.choice(s.captures)
        return {
            "stories": lambda: "/stories" + query(self.filters(i)),
            "stories search": lambda: "/stories" + query(self.search(i)),
            "story": lambda: f"/stories/{r.choice(s.articles)}",
            "stories.csv": lambda: "/stories.csv" + query(self.export(i)),
            "stories.json": lambda: "/stories.json" + query(self.export(i)),
            "stories.parquet": lambda: "/stories.parquet" + query(self.export(i)),
            "archive": lambda: f"/archive/{capture}",
            "archive page": lambda: f"/archive/{capture}/page",
            "archive record": lambda: f"/archive/{capture}/record.warc.gz",
            "sources": lambda: "/sources", "source": lambda: f"/sources/{r.choice(s.sources)}",
            "runs": lambda: "/runs", "run": lambda: f"/runs/{r.choice(s.runs)}",
            "reports": lambda: "/reports", "corrections": lambda: "/corrections",
        }[kind]()


def query(pairs: list[tuple[str, str]]) -> str:
    return "?" + urlencode(pairs) if pairs else ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Server:
    base: str
    pid: int

    def cpu_ms(self) -> float:
        """CPU time the server process has used (user + system, all threads, including
        those that ended), from /proc: the part of a page's time the load cannot inflate
        as much, in ticks of 10 ms."""
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) * 1000 / TICKS


TICKS = os.sysconf("SC_CLK_TCK")


@contextmanager
def serving(data: Path, code: Path, log: Path) -> Iterator[Server]:
    """`steppewatch --data DATA web` of the code at `code`, on a free loopback port."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(code)}  # the code of `code`, not the installed
    command = [str(STEPPEWATCH), "--config", str(code / "config"), "--data", str(data),
               "web", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=code, env=env, stdout=out, stderr=out)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, server, log)
        yield Server(base, server.pid)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_ready(base: str, server: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the workspace exited ({server.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(base + "/reports", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the workspace did not answer within {seconds:.0f} s:\n"
                       f"{log.read_text()}")


@dataclass
class Timings:
    ms: list[float] = field(default_factory=list)
    first: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    bytes: int = 0

    def add(self, ms: float, first: float, cpu: float, status: int, size: int) -> None:
        self.ms.append(ms)
        self.first.append(first)
        self.cpu.append(cpu)
        self.statuses[status] = self.statuses.get(status, 0) + 1
        self.bytes += size

    def figures(self) -> dict[str, float | int]:
        ordered = sorted(self.ms)
        return {"p50_ms": round(statistics.median(ordered), 1),
                "p95_ms": round(nearest_rank(ordered, 0.95), 1), "n": len(ordered),
                "first_byte_p50_ms": round(statistics.median(self.first), 1),
                "first_byte_p95_ms": round(nearest_rank(sorted(self.first), 0.95), 1),
                "max_ms": round(ordered[-1], 1), "ok": self.statuses.get(200, 0),
                "cpu_p50_ms": round(statistics.median(self.cpu), 1),
                "mean_kb": round(self.bytes / len(ordered) / 1024, 1)}


def nearest_rank(ordered: list[float], q: float) -> float:
    return ordered[max(math.ceil(q * len(ordered)) - 1, 0)]


def timed_get(client: httpx.Client, url: str) -> tuple[float, float, int, int]:
    """ms until the whole answer is read (as a browser waits for a page), ms until its first
    byte of body (when a download starts), the status and the size."""
    started = time.perf_counter()
    first, size = None, 0
    with client.stream("GET", url) as response:
        for chunk in response.iter_raw():
            if first is None:
                first = time.perf_counter()
            size += len(chunk)
    ended = time.perf_counter()
    first = first or ended
    return ((ended - started) * 1000, (first - started) * 1000, response.status_code, size)


def measure(servers: dict[str, Server], paths: Paths, requests: int, warmup: int = WARMUP,
            kinds: tuple[str, ...] = KINDS) -> dict[str, dict[str, Timings]]:
    """Per server and page kind: the timings. Kinds in turn; with two servers each request
    goes to both, alternating which goes first."""
    out: dict[str, dict[str, Timings]] = {name: {k: Timings() for k in kinds} for name in servers}
    clients = {name: httpx.Client(base_url=s.base, timeout=300) for name, s in servers.items()}
    names = list(servers)
    try:
        for i in range(-warmup, requests):
            for kind in kinds:
                url = paths.path(kind, max(i, 0))
                order = names if i % 2 == 0 else names[::-1]
                for name in order:
                    cpu = servers[name].cpu_ms()
                    ms, first, status, size = timed_get(clients[name], url)
                    if i >= 0:
                        out[name][kind].add(ms, first, servers[name].cpu_ms() - cpu, status,
                                            size)
                    elif status != 200:
                        print(f"warm-up: {url} answered {status}", file=sys.stderr)
    finally:
        for client in clients.values():
            client.close()
    return out


def connection_costs(data: Path, repeats: int = 15) -> dict[str, float]:
    """Median ms of what a read-only connection costs: opening and closing it, with and
    without the fts extension, and one page of the stories list on a fresh connection
    against one on a connection kept open (its cache warm), as the workspace keeps it
    (flows/web/access.py)."""
    from warehouse.stories import StoryFilter, list_stories

    def ms(action: Callable[[], object]) -> float:
        runs = []
        for _ in range(repeats):
            started = time.perf_counter()
            action()
            runs.append((time.perf_counter() - started) * 1000)
        return round(statistics.median(runs), 1)

    def fresh_list() -> None:
        with open_readonly(data, fts=False) as con:
            list_stories(con, StoryFilter())

    out = {"open+close": ms(lambda: open_readonly(data, fts=False).close()),
           "open+close with fts": ms(lambda: open_readonly(data, fts=True).close()),
           "stories page, fresh connection": ms(fresh_list)}
    with open_readonly(data, fts=False) as con:
        list_stories(con, StoryFilter())
        out["stories page, connection kept open"] = ms(
            lambda: list_stories(con, StoryFilter()))
    return out


def stored(data: Path) -> int:
    if not (data / WAREHOUSE_FILE).exists():
        return 0
    try:
        with open_readonly(data, fts=False) as con:
            return con.execute("SELECT count(*) FROM articles").fetchone()[0]
    except duckdb.Error:
        return 0


@contextmanager
def revision(rev: str) -> Iterator[Path]:
    """The files of git revision `rev` in a temporary folder (the working tree untouched)."""
    with tempfile.TemporaryDirectory(prefix="web-bench-base-") as folder:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", folder], input=archive, check=True)
        yield Path(folder)


def table(results: dict[str, dict[str, Timings]]) -> str:
    names = list(results)
    if len(names) == 1:
        lines = ["| page | n | p50 ms | p95 ms | max ms | first byte p50 ms | first byte p95 ms "
                 "| server CPU p50 ms | HTTP 200 | mean KB |",
                 "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for kind, t in results[names[0]].items():
            f = t.figures()
            lines.append(f"| {kind} | {f['n']} | {f['p50_ms']:.0f} | {f['p95_ms']:.0f} | "
                         f"{f['max_ms']:.0f} | {f['first_byte_p50_ms']:.0f} | "
                         f"{f['first_byte_p95_ms']:.0f} | {f['cpu_p50_ms']:.0f} | {f['ok']} | "
                         f"{f['mean_kb']} |")
        return "\n".join(lines)
    head = " | ".join(f"{n} p50 ms | {n} p95 ms | {n} CPU p50 ms" for n in names)
    lines = [f"| page | n | {head} | HTTP 200 |", "|---|---:|" + "---:|" * (3 * len(names) + 1)]
    for kind in results[names[0]]:
        figures = [results[n][kind].figures() for n in names]
        cells = " | ".join(f"{f['p50_ms']:.0f} | {f['p95_ms']:.0f} | {f['cpu_p50_ms']:.0f}"
                           for f in figures)
        ok = "/".join(str(f["ok"]) for f in figures)
        lines.append(f"| {kind} | {figures[0]['n']} | {cells} | {ok} |")
    return "\n".join(lines)


def kinds(names: str | None) -> tuple[str, ...]:
    """The page kinds --kinds names (comma-separated), in KINDS order; all by default."""
    if not names:
        return KINDS
    chosen = {n.strip() for n in names.split(",")}
    if chosen - set(KINDS):
        raise SystemExit(f"unknown page kinds {sorted(chosen - set(KINDS))}; known: {KINDS}")
    return tuple(k for k in KINDS if k in chosen)


def load_text() -> str:
    return ", ".join(f"{v:.2f}" for v in os.getloadavg())


def run(args: argparse.Namespace, data: Path, say: Callable[[str], None]) -> dict:
    say(f"cores: {os.cpu_count()}; duckdb {duckdb.__version__}; python "
        f"{sys.version.split()[0]}; nice {os.nice(0)}; load average at start: {load_text()}")
    if stored(data) >= args.articles:
        say(f"reusing the {stored(data):,} articles in {data}")
    else:
        built = build(data, args.articles, args.pages)
        size = (data / WAREHOUSE_FILE).stat().st_size / 2**20
        spent = ", ".join(f"{k} {v:.0f} s" for k, v in built.seconds.items())
        say(f"built {built.articles:,} articles ({built.pages:,} distinct archived pages, "
            f"{len(built.runs)} runs) in {data}: {spent}; warehouse {size:.0f} MiB")
    rng = random.Random(args.seed)
    paths = Paths(sample(data, rng), rng)
    costs = connection_costs(data, min(15, max(3, args.requests)))
    say("read-only connection, median ms: " + "; ".join(f"{k} {v}" for k, v in costs.items()))
    with ExitStack() as stack:
        servers = {"now": stack.enter_context(serving(data, ROOT, data / "web-bench.log"))}
        if args.baseline:
            code = stack.enter_context(revision(args.baseline))
            servers = {args.baseline: stack.enter_context(
                serving(data, code, data / "web-bench-baseline.log")), **servers}
        started = time.perf_counter()
        results = measure(servers, paths, args.requests, args.warmup, kinds(args.kinds))
        seconds = time.perf_counter() - started
    say(f"\n{args.requests} timed requests per page kind (after {args.warmup} warm-up), "
        f"sequential, in {seconds:.0f} s; load average at end: {load_text()}\n")
    say(table(results))
    return {name: {kind: t.figures() for kind, t in kinds.items()}
            for name, kinds in results.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page kind")
    parser.add_argument("--data", type=Path, default=None, help="folder of the warehouse, "
                        "kept and reused by the next run (default: a temporary folder)")
    parser.add_argument("--pages", type=int, default=2_000,
                        help="distinct archived article pages the captures share")
    parser.add_argument("--json", action="store_true", help="print {page: {p50_ms, p95_ms, "
                        "n}} on stdout, the Markdown on stderr")
    parser.add_argument("--baseline", metavar="REV", help="also serve git revision REV and "
                        "time both side by side")
    parser.add_argument("--warmup", type=int, default=WARMUP,
                        help="untimed requests per page kind first")
    parser.add_argument("--kinds", help="only these page kinds (comma-separated)")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    # Stopped with SIGTERM, still stop the workspace it started (the finally blocks run).
    usual = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    def say(line: str) -> None:
        print(line, file=sys.stderr if args.json else sys.stdout, flush=True)

    try:
        with tempfile.TemporaryDirectory(prefix="web-bench-") as scratch:
            figures = run(args, args.data or Path(scratch), say)
    finally:
        signal.signal(signal.SIGTERM, usual)
    if args.json:
        print(json.dumps(figures["now"] if len(figures) == 1 else figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
