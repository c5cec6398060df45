"""docs/API.md's examples run, in order, as a user would paste them: the first builds a
warehouse with a whole night run without Prefect, the others use it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import ROOT

DOC = ROOT / "docs" / "API.md"


def examples() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_every_api_example_runs(tmp_path: Path) -> None:
    blocks = examples()
    assert len(blocks) >= 7
    marker = "----- next example -----"
    script = f"\nprint({marker!r})\n".join(blocks)
    env = {**os.environ, "STEPPEWATCH_DATA": str(tmp_path / "data")}
    env.pop("PREFECT_API_URL", None)  # nothing of Prefect is needed
    proc = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-5000:]
    outputs = proc.stdout.split(marker)
    assert len(outputs) == len(blocks)
    assert all(output.strip() for output in outputs)  # each example printed its result
    assert re.search(r"^completed [1-9]\d* new articles", outputs[0], re.M)
    assert "'protest'" in outputs[2]  # the tagged text
    assert not (tmp_path / "data" / "prefect").exists()  # the night ran without Prefect
