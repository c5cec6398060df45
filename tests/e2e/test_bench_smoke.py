"""The benchmark runs end to end on a tiny corpus and writes a report of the right shape.

Its figures are not checked (no timing assertions): only that every stage, every size
and every process role is reported, and that the run stored what it crawled.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import run
from bench.generate import generate
from bench.report import NOTES, STAGES


def test_generated_pages_are_large_distinct_and_listed(tmp_path: Path) -> None:
    done = generate(tmp_path, 12, 2, 8999)
    pages = sorted((done["sites"] / "127.0.0.1").glob("bench-*/news/**/*.html"))
    assert len(pages) == done["articles"] == 12
    assert all(50_000 <= p.stat().st_size <= 110_000 for p in pages)
    bodies = {p.read_bytes() for p in pages}
    assert len(bodies) == 12
    sitemap = (done["sites"] / "127.0.0.1" / "bench-0" / "sitemap-1.xml").read_text()
    assert sitemap.count("<loc>") == 6
    assert "requests_per_host" in (done["config"] / "settings.toml").read_text()


def test_bench_reports_every_stage_and_size(tmp_path: Path, prefect_api: str,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PREFECT_API_URL", prefect_api)
    results, figures = tmp_path / "results.md", tmp_path / "results.json"
    assert run.main(["--n", "20", "--repeats", "1", "--sources", "2", "--work",
                     str(tmp_path / "work"), "--results", str(results), "--json",
                     str(figures)]) == 0
    payload = json.loads(figures.read_text())
    repeat = payload["sizes"][0]["repeats"][0]
    assert repeat["first"]["article_pages"] == 20
    assert repeat["second"]["article_pages"] == 0
    assert repeat["first"]["articles_total"] == 20
    assert {"crawl", "extract", "load", "alert"} <= set(repeat["first"]["stages"])
    cpu = repeat["first"]["stage_cpu"]  # the workers' own count of extraction and tagging
    assert cpu["extract"] > 0 and cpu["tag"] > 0 and cpu["crawl"] > 0
    assert any(role.startswith("crawl ") for role in repeat["first"]["memory"])
    report = results.read_text()
    for stage in STAGES:
        assert f"| {stage} |" in report
    for heading in ("End to end", "Stages", "Peak memory", "Targets", "Reproduce"):
        assert heading in report
    assert report.rstrip().endswith(NOTES)
