"""What the benchmark measures: peak memory of a process tree, stage times from Prefect,
the WARC archive's write cost, and the bare trafilatura reference loop."""

from __future__ import annotations

import json
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import trafilatura
from warcio.archiveiterator import ArchiveIterator

from crawlers.staging import RunStaging
from crawlers.warc import WarcArchive

SAMPLE_SECONDS = 0.1
# A process not (yet) recognised: a child forked from the flow looks like it until exec.
OTHER = "other: "
STAGE_PREFIXES = {"crawl": "crawl-", "extract": "extract-", "load": "load",
                  "index": "search-index", "alert": "alert"}


def process_role(proc: psutil.Process, root_pid: int) -> str:
    """A readable name for a process of the nightly's tree."""
    if proc.pid == root_pid:
        return "steppewatch nightly (flow, load, alert)"
    try:
        cmd = proc.cmdline()
    except psutil.Error:
        return OTHER + "gone"
    joined = " ".join(cmd)
    if "crawlers.run_crawl" in joined:
        return "crawl " + cmd[cmd.index("--source") + 1] if "--source" in cmd else "crawl"
    if "resource_tracker" in joined:
        return "multiprocessing resource tracker"
    if "spawn_main" in joined or "multiprocessing" in joined:
        return "extract worker"
    return OTHER + " ".join(cmd[:3])[:60]


@dataclass
class TreeMemory:
    """Peak resident memory per process (by pid), and of the whole tree at once."""

    peaks: dict[int, tuple[str, int]] = field(default_factory=dict)
    tree_peak: int = 0
    # CPU seconds (user + system) of each process at its last sample.
    cpu: dict[int, float] = field(default_factory=dict)


class TreeSampler:
    """Samples the RSS of a process and its descendants in a thread until stopped."""

    def __init__(self, pid: int, extra_pids: Iterable[int] = ()) -> None:
        self.pid = pid
        self.extra = [psutil.Process(p) for p in extra_pids]
        self.memory = TreeMemory()
        self.extra_peaks: dict[int, int] = {p.pid: 0 for p in self.extra}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            self._sample(root)
            self._stop.wait(SAMPLE_SECONDS)

    def _sample(self, root: psutil.Process) -> None:
        try:
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        total = 0
        for proc in procs:
            try:
                rss = proc.memory_info().rss
                times = proc.cpu_times()
            except psutil.Error:
                continue
            self.memory.cpu[proc.pid] = times.user + times.system
            total += rss
            role, peak = self.memory.peaks.get(proc.pid, (OTHER, 0))
            if role.startswith(OTHER):
                role = process_role(proc, self.pid)
            self.memory.peaks[proc.pid] = (role, max(rss, peak))
        self.memory.tree_peak = max(self.memory.tree_peak, total)
        for proc in self.extra:
            try:
                self.extra_peaks[proc.pid] = max(self.extra_peaks[proc.pid],
                                                 proc.memory_info().rss)
            except psutil.Error:
                continue


def peaks_by_role(memory: TreeMemory) -> dict[str, int]:
    """Largest peak among the processes of each role."""
    roles: dict[str, int] = {}
    for role, peak in memory.peaks.values():
        roles[role] = max(roles.get(role, 0), peak)
    return roles


def cpu_by_role(memory: TreeMemory) -> dict[str, float]:
    """CPU seconds of all the processes of each role, summed (as last sampled)."""
    roles: dict[str, float] = {}
    for pid, seconds in memory.cpu.items():
        role = memory.peaks.get(pid, ("gone", 0))[0]
        roles[role] = roles.get(role, 0.0) + seconds
    return roles


def task_runs(api_url: str, flow_run_id: str, wait_s: float = 60.0) -> list[dict]:
    """Every task run of a flow run, once the server has them all finished (task states
    reach the server as events, a little after the flow itself has ended)."""
    deadline = time.monotonic() + wait_s
    runs = _read_task_runs(api_url, flow_run_id)
    while time.monotonic() < deadline and not _all_finished(runs):
        time.sleep(1.0)
        runs = _read_task_runs(api_url, flow_run_id)
    return runs


def _all_finished(runs: list[dict]) -> bool:
    names = {r["name"] for r in runs}
    stages = all(any(n.startswith(p) for n in names) for p in STAGE_PREFIXES.values())
    return stages and all(r.get("end_time") for r in runs)


def _read_task_runs(api_url: str, flow_run_id: str) -> list[dict]:
    """Task runs of the flow run and of its subflow runs."""
    children = _post(api_url, "flow_runs/filter",
                     {"flow_runs": {"parent_flow_run_id": {"any_": [flow_run_id]}}})
    ids = [flow_run_id, *(c["id"] for c in children)]
    return _post(api_url, "task_runs/filter", {"flow_runs": {"id": {"any_": ids}}, "limit": 200})


def _post(api_url: str, path: str, query: dict) -> list[dict]:
    request = urllib.request.Request(f"{api_url.rstrip('/')}/{path}",
                                     data=json.dumps(query).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def stage_spans(runs: list[dict]) -> dict[str, float]:
    """Seconds from the first start to the last end of each stage's task runs; extraction
    runs beside the crawl, so its span starts with the first crawl."""
    from datetime import datetime

    bounds: dict[str, tuple[datetime, datetime]] = {}
    for stage, prefix in STAGE_PREFIXES.items():
        times = [(datetime.fromisoformat(r["start_time"]), datetime.fromisoformat(r["end_time"]))
                 for r in runs if r["name"].startswith(prefix) and r.get("start_time")
                 and r.get("end_time")]
        if times:
            bounds[stage] = (min(s for s, _e in times), max(e for _s, e in times))
    if "crawl" in bounds and "extract" in bounds:
        bounds["extract"] = (bounds["crawl"][0], bounds["extract"][1])
    return {stage: (end - start).total_seconds() for stage, (start, end) in bounds.items()}


def worker_cpu(run_dir: Path) -> dict[str, float]:
    """CPU seconds the extraction workers spent extracting and tagging (their own count,
    written per source to extract_stats.json)."""
    totals = {"extract": 0.0, "tag": 0.0}
    run = RunStaging.at(run_dir)
    for source_id in run.staged_source_ids():
        stats_file = run.source(source_id).extract_stats
        if not stats_file.exists():
            continue
        stats = json.loads(stats_file.read_text())
        totals["extract"] += stats["extract_cpu_seconds"]
        totals["tag"] += stats["tag_cpu_seconds"]
    return totals


def timeline(runs: list[dict]) -> list[tuple[str, float, float]]:
    """(task name, start, end) in seconds after the first task started."""
    from datetime import datetime

    done = [(r["name"], datetime.fromisoformat(r["start_time"]), datetime.fromisoformat(
        r["end_time"])) for r in runs if r.get("start_time") and r.get("end_time")]
    if not done:
        return []
    zero = min(s for _n, s, _e in done)
    return sorted((n, round((s - zero).total_seconds(), 2), round((e - zero).total_seconds(), 2))
                  for n, s, e in done)


def archive_seconds(warc_files: Iterable[Path]) -> tuple[float, int]:
    """Time WarcArchive.write needs for the responses of the given WARC files (the crawl
    writes them inside its process; this replays the same writes to time them alone)."""
    spent, records = 0.0, 0
    with tempfile.TemporaryDirectory() as tmp:
        archive = WarcArchive(Path(tmp) / "replay.warc.gz", Path(tmp))
        for path in warc_files:
            with path.open("rb") as fh:
                for record in ArchiveIterator(fh, no_record_parse=False):
                    if record.rec_type != "response":
                        continue
                    body = record.content_stream().read()
                    headers = list(record.http_headers.headers)
                    url = record.rec_headers.get_header("WARC-Target-URI")
                    started = time.perf_counter()
                    archive.write(url, 200, "OK", headers, body, [("User-Agent", "bench")])
                    spent += time.perf_counter() - started
                    records += 1
        archive.close()
    return spent, records


def bare_trafilatura(files: list[Path]) -> tuple[float, float]:
    """Wall and CPU seconds a plain loop of trafilatura.extract needs over the files, in
    this process (reading the files is not counted)."""
    wall = cpu = 0.0
    for path in files:
        html = path.read_text(encoding="utf-8")
        started, started_cpu = time.perf_counter(), time.process_time()
        trafilatura.extract(html)
        wall += time.perf_counter() - started
        cpu += time.process_time() - started_cpu
    return wall, cpu
