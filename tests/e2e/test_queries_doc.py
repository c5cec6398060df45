"""Every worked example of docs/QUERIES.md runs on the demo warehouse and returns rows."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.helpers import ROOT, invoke
from warehouse.connection import open_readonly
from warehouse.search import index_ready

DOC = ROOT / "docs" / "QUERIES.md"
EXAMPLE = re.compile(r"^### (\d+)\. (.+?)$(.*?)(?=^### |\Z)", re.M | re.S)
SH_BLOCK = re.compile(r"```sh\n(.*?)```", re.S)


def doc_examples() -> list[tuple[str, list[str]]]:
    """(id, argv after `steppewatch`) of every command in the worked examples."""
    found = []
    for number, title, body in EXAMPLE.findall(DOC.read_text()):
        for index, block in enumerate(SH_BLOCK.findall(body)):
            argv = shlex.split(block)
            assert argv[0] == "steppewatch", f"example {number} runs {argv[0]!r}"
            found.append((f"{number}.{index}-{title[:40]}", argv[1:]))
    return found


@pytest.fixture(scope="module")
def demo_data(full_demo: dict) -> Path:
    """The session's full demo warehouse (two runs; read-only here)."""
    data = full_demo["data"]
    with open_readonly(data) as con:  # other tests read it at the same time
        assert index_ready(con)  # the nightly load step refreshed the search index
    return data


def _for_data(argv: list[str], data: Path, tmp_path: Path) -> list[str]:
    """The example's arguments on the test's data folder, output files in tmp_path."""
    args = list(argv)
    args[args.index("--data") + 1] = str(data)
    if "--output" in args:
        position = args.index("--output") + 1
        args[position] = str(tmp_path / Path(args[position]).name)
    return args


def test_the_doc_has_at_least_ten_examples() -> None:
    assert len({e[0].split(".")[0] for e in doc_examples()}) >= 10


@pytest.mark.parametrize(("example", "argv"), doc_examples(), ids=[e[0] for e in doc_examples()])
def test_doc_example_returns_rows(example: str, argv: list[str], demo_data: Path,
                                  tmp_path: Path) -> None:
    args = _for_data(argv, demo_data, tmp_path)
    command = args[2]
    if command in ("sql", "search"):
        result = invoke([*args, "--format", "json"])
        rows = json.loads(result.stdout)
        assert rows, f"example {example} returned no rows"
    elif command == "export":
        result = invoke(args)
        written = int(re.search(r"wrote (\d+) stories", result.stdout)[1])
        assert written > 0
        assert Path(args[args.index("--output") + 1]).stat().st_size > 0
    else:
        raise AssertionError(f"example {example}: no check for command {command!r}")


def test_search_works_in_the_stock_duckdb_cli_as_documented(demo_data: Path) -> None:
    """README's `make duckdb` line: the stock CLI, offline, finds stories with find_stories."""
    readme = (ROOT / "README.md").read_text()
    line = next(ln for ln in readme.splitlines() if ln.startswith("echo ") and "make -s duckdb"
                in ln)
    sql = shlex.split(line.split("|")[0])[1]
    proc = subprocess.run(["make", "-s", "-C", str(ROOT), "duckdb", f"DATA={demo_data}"],
                          input=sql, text=True, capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    table = proc.stdout.splitlines()
    header = next(i for i, row in enumerate(table) if row.startswith("├"))
    assert "outlet" in table[header - 2] and "title" in table[header - 2]
    assert table[header + 1].startswith("│")  # at least one story found
