"""bench/results.md from the measured figures: medians of the repeats, ratios, targets.

Everything above the NOTES marker is rewritten on each run; the notes below it (findings,
profiles, before/after) are kept.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

NOTES = "<!-- notes: kept across runs -->"
STAGES = ("crawl", "archive", "extract", "tag", "load", "alert", "index")
MIB = 2**20


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def size_figures(size: dict[str, Any]) -> dict[str, Any]:
    """Medians over the repeats of one N."""
    reps = size["repeats"]
    first = [r["first"] for r in reps]
    e2e = [f["article_pages"] / f["seconds"] for f in first]
    bare = [r["bare_pages"] / r["bare_seconds"] for r in reps]
    stages: dict[str, tuple[float, float]] = {}
    for stage in STAGES:
        wall = median([f["stages"].get(stage, float("nan")) for f in first])
        cpu = median([f.get("stage_cpu", {}).get(stage, float("nan")) for f in first])
        stages[stage] = (wall, cpu)
    roles = sorted({role for f in first for role in f["memory"]})
    cpu_roles = sorted({role for f in first for role in (*f["cpu_seconds"], *f["cpu_outside"])})
    cpu = {role: median([1000 * f["cpu_seconds"].get(role, f["cpu_outside"].get(role, 0.0))
                         / f["article_pages"] for f in first]) for role in cpu_roles}
    pipeline_cpu = [1000 * (sum(f["cpu_seconds"].values()) + sum(f["cpu_outside"].values()))
                    / f["article_pages"] for f in first]
    bare_cpu = [1000 * r["bare_cpu"] / r["bare_pages"] for r in reps]
    return {
        "cpu": cpu, "pipeline_cpu": median(pipeline_cpu), "bare_cpu": median(bare_cpu),
        "cpu_ratio": median([2 * b / p for b, p in zip(bare_cpu, pipeline_cpu, strict=True)]),
        "n": size["n"], "kib": size["bytes"] / size["articles"] / 1024,
        "pages": median([f["article_pages"] for f in first]),
        "seconds": median([f["seconds"] for f in first]),
        "e2e": median(e2e), "bare": median(bare),
        "ratio": median([a / b for a, b in zip(e2e, bare, strict=True)]),
        "ms_per_page": median([1000 * f["seconds"] / f["article_pages"] for f in first]),
        "second": median([r["second"]["seconds"] for r in reps]),
        "share": median([r["second"]["seconds"] / r["first"]["seconds"] for r in reps]),
        "second_pages": median([r["second"]["article_pages"] for r in reps]),
        "stages": stages,
        "memory": {role: median([f["memory"].get(role, 0) for f in first]) for role in roles},
        "tree_peak": median([f["tree_peak"] for f in first]),
        "server_peak": median([max(f["extra_peaks"].values(), default=0) for f in first]),
    }


def _summary(figs: list[dict[str, Any]]) -> list[str]:
    lines = ["| N | KB/page | first run s | end-to-end pages/s | bare trafilatura pages/s | "
             "ratio | ms/page | incremental s | incremental share | tree peak MiB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for f in figs:
        lines.append(f"| {f['n']:,} | {f['kib']:.0f} | {f['seconds']:.1f} | {f['e2e']:.1f} | "
                     f"{f['bare']:.1f} | {f['ratio']:.2f} | {f['ms_per_page']:.2f} | "
                     f"{f['second']:.1f} | {100 * f['share']:.1f}% | "
                     f"{f['tree_peak'] / MIB:.0f} |")
    return lines


def _stages(figs: list[dict[str, Any]]) -> list[str]:
    head = "| stage | " + " | ".join(f"N={f['n']:,} wall s | pages/s | CPU s | pages per CPU s"
                                     for f in figs) + " |"
    lines = [head, "|---|" + "---|---|---|---|" * len(figs)]
    for stage in STAGES:
        cells = []
        for f in figs:
            wall, cpu = f["stages"][stage]
            cells.append(" | ".join([_num(wall), _num(_rate(f["pages"], wall), 0), _num(cpu),
                                     _num(_rate(f["pages"], cpu), 0)]))
        lines.append(f"| {stage} | {' | '.join(cells)} |")
    return lines


def _rate(pages: float, seconds: float) -> float:
    return pages / seconds if seconds == seconds and seconds else float("nan")


def _num(value: float, digits: int = 2) -> str:
    return "–" if value != value else f"{value:,.{digits}f}"  # NaN: not measured


def _memory(figs: list[dict[str, Any]]) -> list[str]:
    roles = sorted({role for f in figs for role in f["memory"]})
    lines = ["| process | " + " | ".join(f"N={f['n']:,} MiB" for f in figs) + " |",
             "|---|" + "---|" * len(figs)]
    for role in roles:
        if not any(f["memory"].get(role) for f in figs):
            continue
        lines.append(f"| {role} | " + " | ".join(f"{f['memory'].get(role, 0) / MIB:.0f}"
                                                  for f in figs) + " |")
    lines.append("| **whole tree at once** | " + " | ".join(f"{f['tree_peak'] / MIB:.0f}"
                                                             for f in figs) + " |")
    lines.append("| Prefect server (not in the tree) | " + " | ".join(
        f"{f['server_peak'] / MIB:.0f}" for f in figs) + " |")
    return lines


def _cpu(figs: list[dict[str, Any]]) -> list[str]:
    roles = sorted({role for f in figs for role in f["cpu"]})
    lines = ["| process | " + " | ".join(f"N={f['n']:,} CPU ms/page" for f in figs) + " |",
             "|---|" + "---|" * len(figs)]
    for role in roles:
        if not any(f["cpu"].get(role) for f in figs):
            continue
        lines.append(f"| {role} | " + " | ".join(f"{f['cpu'].get(role, 0):.2f}" for f in figs)
                     + " |")
    lines.append("| **pipeline, all processes** | " + " | ".join(
        f"{f['pipeline_cpu']:.2f}" for f in figs) + " |")
    lines.append("| bare trafilatura.extract | " + " | ".join(
        f"{f['bare_cpu']:.2f}" for f in figs) + " |")
    lines.append("| ratio on 2 idle cores at best (2 × bare / pipeline) | " + " | ".join(
        f"{f['cpu_ratio']:.2f}" for f in figs) + " |")
    return lines


def _targets(figs: list[dict[str, Any]]) -> list[str]:
    def mark(ok: bool) -> str:
        return "met" if ok else "**missed**"

    small, large = figs[0], figs[-1]
    growth = large["ms_per_page"] / small["ms_per_page"]
    lines = ["| target | measured | |", "|---|---|---|"]
    for f in figs:
        lines.append(f"| end-to-end ≥ 1.3× bare (N={f['n']:,}) | {f['ratio']:.2f}× | "
                     f"{mark(f['ratio'] >= 1.3)} |")
    lines.append(f"| per-page cost at N={large['n']:,} ≤ 1.2× N={small['n']:,} | "
                 f"{growth:.2f}× | {mark(growth <= 1.2)} |")
    lines.append(f"| peak memory < 1 GiB (N={large['n']:,}, whole tree) | "
                 f"{large['tree_peak'] / MIB:.0f} MiB | {mark(large['tree_peak'] < 2**30)} |")
    for f in figs:
        lines.append(f"| incremental run < 10% of the first (N={f['n']:,}) | "
                     f"{100 * f['share']:.1f}% | {mark(f['share'] < 0.10)} |")
    return lines


def render(payload: dict[str, Any]) -> str:
    figs = [size_figures(s) for s in payload["sizes"]]
    m = payload["machine"]
    args = " ".join(str(a) for a in payload["argv"])
    lines = [
        "# Benchmark of the nightly pipeline", "",
        f"Machine: {m['usable_cores']} usable cores ({m['cores']} in all), {m['memory_gib']} GiB "
        f"RAM, {m['cpu']}, Python {m['python']}. {payload['sources']} generated outlets, "
        f"medians of {', '.join(map(str, payload['repeats']))} repeats (per size); every "
        "figure of a row was measured in the same benchmark run. Load average (1, 5, 15 "
        "min) before the run: "
        f"{payload['load_before']}, after: {m['load_average']} (other work on the machine "
        "slows the wall-clock figures; the CPU figures below are not affected by it).", "",
        "Reproduce:", "", "```sh", f".venv/bin/python bench/run.py {args}".rstrip(),
        "make bench   # default sizes", "```", "",
        "## End to end, against the bare trafilatura loop", "",
        *_summary(figs), "",
        "End to end: wall time of `steppewatch --config GEN --data TMP nightly` (process start "
        "to exit) over the article pages it fetched. Bare: `trafilatura.extract` over the same "
        "HTML files in one process. Incremental: the same command again on the same data.", "",
        "## Stages (first run)", "",
        *_stages(figs), "",
        "Wall: seconds from the first start to the last end of the stage's Prefect task runs "
        "(sources overlap). Extraction and tagging run in the worker pool while the crawls "
        "still run, so the extract span starts with the first crawl; tagging happens in the "
        "same workers right after each page's extraction (no span of its own). CPU: crawl = "
        "the crawl processes; archive = `WarcArchive.write` of the run's responses replayed "
        "alone after the run (inside the crawl's CPU); extract and tag = the workers' own "
        "count (extract_stats.json); load, alert and index (the full-text index rebuild, after "
        "the alerts) run in the nightly process, one after another.", "",
        "## CPU per article page (first run)", "",
        *_cpu(figs), "",
        "User + system CPU seconds of each process over the run, per article page fetched. "
        "The replay server runs in the benchmark's own process; the Prefect server is the one "
        "the benchmark started. The last row is the end-to-end / bare ratio the pipeline "
        "could reach on two otherwise idle cores if its stages overlapped perfectly.", "",
        "## Peak memory (first run)", "",
        *_memory(figs), "",
        "## Targets", "",
        *_targets(figs), "",
    ]
    return "\n".join(lines)


def write_report(path: Path, payload: dict[str, Any]) -> None:
    notes = ""
    if path.exists() and NOTES in path.read_text(encoding="utf-8"):
        notes = path.read_text(encoding="utf-8").split(NOTES, 1)[1]
    path.write_text(render(payload) + "\n" + NOTES + notes, encoding="utf-8")
