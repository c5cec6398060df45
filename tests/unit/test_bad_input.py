"""Every bad input is one readable line naming the input, a non-zero exit, and nothing
created (no data folder, no warehouse) when the mistake is found before work starts.

Commands run in-process (typer's CliRunner keeps stderr apart from stdout); `serve` and
Ctrl-C need a real process (tests/e2e/test_serve_ctrl_c.py).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from flows.cli import app
from tests.helpers import CONFIG, build_search_warehouse, config_copy
from warehouse.connection import open_warehouse

BAD_LINE = 'oops = "a string that is never closed'
BAD_AT = (3, len(BAD_LINE) + 1)  # inserted as line 3; tomllib stops at the end of that line
READS = {  # commands that read each config file (serve checks them all before serving)
    "settings.toml": ["nightly", "demo", "serve", "alerts"],
    "sources.toml": ["nightly", "demo", "serve"],
    "topics.toml": ["nightly", "demo", "serve", "tag", "reprocess"],
    "places.toml": ["nightly", "demo", "serve", "reprocess"],
}
ARGS = {"alerts": ["alerts", "--dry-run"], "reprocess": ["reprocess", "--tags"]}
TAG_INPUT = json.dumps({"id": "1", "lang": "ru", "title": "Полиция задержала активистов",
                        "text": "Полиция задержала митингующих."})


def run(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def one_error_line(result: Result) -> str:
    """The single non-blank stderr line of a failed command (and no traceback)."""
    assert result.exit_code != 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"crashed: {result.exception!r}\n{result.output}")
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got:\n{result.stderr}"
    return lines[0]


def insert_line(path: Path, number: int, line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(number - 1, line + "\n")
    path.write_text("".join(lines), encoding="utf-8")


# --- config files: FILE:LINE:COLUMN for every command that reads them -------------------

CASES = [(name, command) for name, commands in READS.items() for command in commands]


@pytest.mark.parametrize(("name", "command"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_config_syntax_error_names_file_line_and_column(tmp_path: Path, name: str,
                                                        command: str) -> None:
    config = config_copy(tmp_path)
    insert_line(config / name, BAD_AT[0], BAD_LINE)
    data = tmp_path / "data"
    if command == "reprocess":  # it looks for the warehouse first
        open_warehouse(data).close()
    before = sorted(p.name for p in data.rglob("*")) if data.exists() else None
    result = run("--config", str(config), "--data", str(data), *ARGS.get(command, [command]),
                 stdin=TAG_INPUT)
    line = one_error_line(result)
    assert f"{config / name}:{BAD_AT[0]}:{BAD_AT[1]}:" in line
    assert "not valid TOML" in line
    assert (sorted(p.name for p in data.rglob("*")) if data.exists() else None) == before
    assert result.stdout.strip() == ""


def test_the_shipped_config_passes_the_same_checks(tmp_path: Path) -> None:
    """The check that rejects a broken file accepts the real one (tag runs to the end)."""
    result = run("--config", str(config_copy(tmp_path)), "tag", stdin=TAG_INPUT)
    assert result.exit_code == 0, result.output
    # detaining protesters (in the brief's first sentence) is police and protest (LABELS.md)
    assert json.loads(result.stdout)["topics"] == ["police", "protest"]


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    config = config_copy(tmp_path)
    (config / "sources.toml").unlink()
    line = one_error_line(run("--config", str(config), "--data", str(tmp_path / "d"), "nightly"))
    assert f"{config / 'sources.toml'}: no such file" in line and "--config" in line
    assert not (tmp_path / "d").exists()


# --- --source ---------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["nightly", "demo"])
def test_unknown_source_fails_before_anything_starts(tmp_path: Path, command: str) -> None:
    data = tmp_path / "data"
    result = run("--config", str(CONFIG), "--data", str(data), command,
                 "--source", "kloop", "--source", "no-such-outlet")
    line = one_error_line(result)
    assert "no-such-outlet" in line and "known ids:" in line
    assert "azattyq" in line and "kloop" in line.split("known ids:")[1]
    assert "kloop," not in line.split("known ids:")[0]  # only the unknown id is blamed
    assert not data.exists()  # no Prefect home, no warehouse, no run row


# --- topic queries ----------------------------------------------------------------------

def _break_query(topics: Path, old: str, new: str) -> tuple[int, int]:
    """Replace the first `old` by `new`; (line, column) of the character `new` leaves
    unbalanced (its first character for a quote, its last for a parenthesis)."""
    text = topics.read_text(encoding="utf-8")
    at = text.index(old)
    topics.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    bad = at if new.startswith('"') else at + len(new) - 1
    return text.count("\n", 0, bad) + 1, bad - (text.rfind("\n", 0, bad) + 1) + 1


@pytest.mark.parametrize(("old", "new", "problem"), [
    ('"внутренних дел" OR ОВД', '"внутренних дел OR ОВД', "unbalanced quote"),
    # in the ignore query: the police query is wrapped in one group, which a stray ")"
    # inside it would close early (the error then points at the group's own ")")
    ('OR "по данным МВД"', 'OR "по данным МВД")', "unbalanced parenthesis"),
], ids=["quote", "parenthesis"])
@pytest.mark.parametrize("command", ["tag", "nightly"])
def test_unbalanced_topic_query_names_topic_file_and_problem(
        tmp_path: Path, old: str, new: str, problem: str, command: str) -> None:
    config = config_copy(tmp_path)
    line_no, column = _break_query(config / "topics.toml", old, new)
    data = tmp_path / "data"
    line = one_error_line(run("--config", str(config), "--data", str(data), command,
                              stdin=TAG_INPUT))
    assert f"{config / 'topics.toml'}:{line_no}:{column}:" in line
    assert "topic police" in line and problem in line
    assert not data.exists()


# --- tag input --------------------------------------------------------------------------

def test_tag_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "articles.jsonl"
    line = one_error_line(run("--config", str(CONFIG), "tag", str(missing)))
    assert f"{missing}: no such file" in line


@pytest.mark.parametrize(("bad", "says"), [
    ("{not json", "not JSON"),
    (json.dumps({"id": "no-text", "title": "Митинг"}), "'text' is missing"),
], ids=["not-json", "no-text"])
def test_tag_bad_line_is_named_and_good_lines_are_still_written(
        tmp_path: Path, bad: str, says: str) -> None:
    """Documented choice: good lines are tagged and written; each bad line is one stderr
    line FILE:LINE; the exit status is 1."""
    source = tmp_path / "articles.jsonl"
    good = [json.dumps({"id": str(i), "lang": "ru", "text": "Полиция задержала людей."})
            for i in (1, 3)]
    source.write_text(f"{good[0]}\n{bad}\n{good[1]}\n", encoding="utf-8")
    result = run("--config", str(CONFIG), "tag", str(source))
    line = one_error_line(result)
    assert result.exit_code == 1
    assert f"{source}:2:" in line and says in line
    if "no-text" in bad:
        assert "'no-text'" in line
    assert [json.loads(out)["id"] for out in result.stdout.splitlines()] == ["1", "3"]


def test_tag_bad_line_on_stdin(tmp_path: Path) -> None:
    result = run("--config", str(CONFIG), "tag", stdin="[1, 2]\n")
    assert "<stdin>:1:" in one_error_line(result)
    assert result.stdout == ""


# --- search and export ------------------------------------------------------------------

@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("bad-input")
    build_search_warehouse(data)  # six stories: KG KZ KZ KG UZ TJ; topics police and torture
    return data


@pytest.mark.parametrize("query", ["", "   "])
def test_empty_search(tmp_path: Path, query: str) -> None:
    line = one_error_line(run("--data", str(tmp_path / "d"), "search", query))
    assert "words to search for" in line
    assert not (tmp_path / "d").exists()


@pytest.mark.parametrize("command", ["search", "export"])
def test_unknown_country_lists_the_codes(warehouse: Path, tmp_path: Path, command: str) -> None:
    output = tmp_path / "out.csv"
    args = ["search", "пытки"] if command == "search" else ["export", "-o", str(output),
                                                            "--format", "csv"]
    line = one_error_line(run("--data", str(warehouse), *args, "--country", "France"))
    assert "'France'" in line and "KZ KG TJ UZ TM" in line
    assert not output.exists()


@pytest.mark.parametrize("command", ["search", "export"])
def test_unknown_topic_lists_the_topics(warehouse: Path, tmp_path: Path, command: str) -> None:
    output = tmp_path / "out.csv"
    args = ["search", "пытки"] if command == "search" else ["export", "-o", str(output),
                                                            "--format", "csv"]
    line = one_error_line(run("--config", str(CONFIG), "--data", str(warehouse), *args,
                              "--topic", "polce"))
    assert "'polce'" in line and "police protest torture" in line
    assert not output.exists()


@pytest.mark.parametrize("name", ["Kyrgyzstan", "KYRGYZSTAN", "kg", "Киргизия", "кыргызстан"])
def test_country_names_are_accepted(warehouse: Path, tmp_path: Path, name: str) -> None:
    output = tmp_path / "kg.csv"
    result = run("--data", str(warehouse), "export", "-o", str(output), "--format", "csv",
                 "--country", name, "--topic", "Police")
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8") as handle:
        assert [row["article_id"] for row in csv.DictReader(handle)] == ["a-ru"]
    found = run("--data", str(warehouse), "search", "кыйноо пытали", "--any", "--country", name,
                "--format", "json")
    assert found.exit_code == 0, found.output
    assert sorted(h["article_id"] for h in json.loads(found.stdout)) == ["a-ky", "a-ru"]
