"""The workspace benchmark runs end to end on a tiny warehouse: every page kind answers and
has figures. Times are not checked (bench/web_results.md has the measured ones)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import web_bench


def test_web_bench_times_every_page_kind(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert web_bench.main(["--articles", "300", "--requests", "2", "--pages", "30", "--warmup", "1",
                           "--data", str(tmp_path), "--json"]) == 0
    captured = capsys.readouterr()
    figures = json.loads(captured.out)
    assert set(figures) == set(web_bench.KINDS)
    for kind, f in figures.items():
        assert f["n"] == 2 and f["ok"] == 2, (kind, f)
        assert 0 < f["p50_ms"] <= f["p95_ms"], (kind, f)
    assert "| page | n | p50 ms | p95 ms |" in captured.err
    assert "load average at end" in captured.err
