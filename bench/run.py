"""Benchmark of the nightly pipeline on a generated web served on loopback.

    .venv/bin/python bench/run.py [--n 1000 5000 20000] [--repeats 3] [--sources 4]

For each N: generate N article pages (bench/generate.py) with feeds and sitemaps, serve
them on 127.0.0.1 (crawlers.replay_server.ReplayServer), and per repeat run, side by
side: the bare reference (trafilatura.extract over the same HTML in this process), the
real `steppewatch --config GEN --data TMP nightly` (first run), and the same command
again (the incremental run). Stage times come from the Prefect server's task runs,
memory from sampling the nightly's process tree. Medians go to bench/results.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import duckdb
import psutil

from bench.generate import generate
from bench.measure import (
    TreeSampler,
    archive_seconds,
    bare_trafilatura,
    cpu_by_role,
    peaks_by_role,
    stage_spans,
    task_runs,
    timeline,
    worker_cpu,
)
from bench.report import write_report
from crawlers.replay_server import ReplayServer
from crawlers.staging import RunStaging

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def prefect_server(home: Path) -> Iterator[tuple[str, int | None]]:
    """PREFECT_API_URL when set, else one Prefect server started for the whole benchmark."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"], None
        return
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_SERVER_LOGGING_LEVEL": "WARNING", "PREFECT_UI_ENABLED": "false"}
    home.mkdir(parents=True, exist_ok=True)
    with (home / "server.log").open("w") as log:
        proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
                                 "--port", str(port)], env=env, stdout=log,
                                stderr=subprocess.STDOUT)
    api = f"http://127.0.0.1:{port}/api"
    try:
        wait_healthy(api, home / "server.log")
        yield api, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def wait_healthy(api: str, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError(f"the Prefect server did not start; see {log}")


def run_nightly(config: Path, data: Path, api: str, watch: list[int]) -> dict[str, Any]:
    """One `steppewatch nightly` as a user types it; wall time and memory of its tree."""
    env = {**os.environ, "PREFECT_API_URL": api}
    log = data.with_suffix(".log")
    data.mkdir(parents=True, exist_ok=True)
    others = {"replay server (bench process)": psutil.Process()}
    if watch:
        others["Prefect server"] = psutil.Process(watch[0])
    cpu_before = {name: cpu_of(proc) for name, proc in others.items()}
    started = time.perf_counter()
    with log.open("a") as out:
        proc = subprocess.Popen([str(BIN / "steppewatch"), "--config", str(config), "--data",
                                 str(data), "nightly"], env=env, stdout=out,
                                stderr=subprocess.STDOUT, cwd=ROOT)
        with TreeSampler(proc.pid, watch) as sampler:
            code = proc.wait()
    seconds = time.perf_counter() - started
    outside = {name: cpu_of(proc) - cpu_before[name] for name, proc in others.items()}
    if code != 0:
        lines = [ln for ln in log.read_text(errors="replace").splitlines()
                 if "Error" in ln or "error" in ln]
        raise RuntimeError(f"steppewatch nightly exited with {code}; see {log}: "
                           + (lines[-1].strip() if lines else "no error line"))
    return {"seconds": seconds, "memory": peaks_by_role(sampler.memory),
            "cpu_seconds": cpu_by_role(sampler.memory), "cpu_outside": outside,
            "tree_peak": sampler.memory.tree_peak, "extra_peaks": sampler.extra_peaks,
            **latest_run(data)}


def cpu_of(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


def latest_run(data: Path) -> dict[str, Any]:
    """Figures of the newest run in the warehouse."""
    with duckdb.connect(str(data / "steppewatch.duckdb"), read_only=True) as con:
        run_id, flow_run_id = con.execute(
            "select run_id, flow_run_id from crawl_runs order by started_at desc limit 1"
        ).fetchone()
        pages, articles_new, fetched = con.execute(
            "select sum(article_pages), sum(articles_new), sum(pages_fetched) from source_runs "
            "where run_id = ?", [run_id]).fetchone()
        extracted = con.execute("select count(*) from articles").fetchone()[0]
    return {"run_id": run_id, "flow_run_id": flow_run_id, "article_pages": int(pages or 0),
            "pages_fetched": int(fetched or 0), "articles_new": int(articles_new or 0),
            "articles_total": int(extracted)}


def one_repeat(gen: dict, work: Path, api: str, watch: list[int], files: list[Path]) -> dict:
    """Bare reference, first nightly and incremental nightly, side by side."""
    bare, bare_cpu = bare_trafilatura(files)
    data = work / "data"
    first = run_nightly(gen["config"], data, api, watch)
    runs = task_runs(api, first["flow_run_id"])
    first["stages"], first["timeline"] = stage_spans(runs), timeline(runs)
    run = RunStaging(data, first["run_id"])
    warcs = [run.warc_path(source_id) for source_id in run.archived_source_ids()]
    first["archive_seconds"], first["archive_records"] = archive_seconds(warcs)
    first["stage_cpu"] = {
        "crawl": sum(v for k, v in first["cpu_seconds"].items() if k.startswith("crawl")),
        "archive": first["archive_seconds"], **worker_cpu(run.folder)}
    second = run_nightly(gen["config"], data, api, watch)
    return {"bare_seconds": bare, "bare_cpu": bare_cpu, "bare_pages": len(files), "first": first,
            "second": second}


def bench_size(n: int, repeat_count: int, args: argparse.Namespace, out: Path, api: str,
               watch: list[int]) -> dict[str, Any]:
    port = free_port()
    started = time.perf_counter()
    gen = generate(out / f"n{n}", n, args.sources, port)
    print(f"N={n}: generated {gen['articles']} pages ({gen['bytes'] / 2**20:.0f} MiB) in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    files = sorted((gen["sites"] / "127.0.0.1").glob("bench-*/news/**/*.html"))
    repeats = []
    with ReplayServer(gen["sites"], port):
        for r in range(repeat_count):
            result = one_repeat(gen, out / f"n{n}" / f"run{r}", api, watch, files)
            repeats.append(result)
            print(f"N={n} repeat {r + 1}: first {result['first']['seconds']:.1f} s, "
                  f"incremental {result['second']['seconds']:.1f} s, bare trafilatura "
                  f"{result['bare_seconds']:.1f} s", flush=True)
    return {"n": n, "articles": gen["articles"], "bytes": gen["bytes"], "repeats": repeats}


def machine() -> dict[str, Any]:
    return {"cores": os.cpu_count(), "usable_cores": len(psutil.Process().cpu_affinity()),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "cpu": platform.processor() or platform.machine(), "python": platform.python_version(),
            "load_average": [round(x, 1) for x in os.getloadavg()]}


def save(payload: dict[str, Any], results: Path, figures: Path | None) -> None:
    payload["machine"] = machine()
    if figures:
        figures.write_text(json.dumps(payload, indent=1, default=str))
    write_report(results, payload)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[1000, 5000], help="article pages")
    parser.add_argument("--repeats", type=int, nargs="+", default=[3],
                        help="repeats per size (one value for all, or one per --n)")
    parser.add_argument("--sources", type=int, default=4, help="outlets the pages are split over")
    parser.add_argument("--work", type=Path, help="working folder (default: a temporary one)")
    parser.add_argument("--results", type=Path, default=RESULTS, help="markdown report to write")
    parser.add_argument("--json", type=Path, help="also write every measured figure here")
    args = parser.parse_args(argv)
    repeats = args.repeats * len(args.n) if len(args.repeats) == 1 else args.repeats
    if len(repeats) != len(args.n):
        parser.error("give one --repeats value, or one per --n")
    load_before = [round(x, 1) for x in os.getloadavg()]
    payload: dict[str, Any] = {"load_before": load_before, "sources": args.sources,
                               "argv": sys.argv[1:] if argv is None else argv,
                               "repeats": repeats, "sizes": []}
    with tempfile.TemporaryDirectory(prefix="steppewatch-bench-") as tmp:
        work = args.work or Path(tmp)
        with prefect_server(work / "prefect-server") as (api, server_pid):
            watch = [server_pid] if server_pid else []
            for n, count in zip(args.n, repeats, strict=True):
                payload["sizes"].append(bench_size(n, count, args, work, api, watch))
                save(payload, args.results, args.json)  # each finished size is kept
    print(f"results: {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
