"""The staging contract: names of a run's files, and JSON lines that survive a crash."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawlers.staging import (
    AtomicJsonl,
    JsonlAppender,
    JsonlTail,
    RunStaging,
    SourceStaging,
    append_jsonl,
    count_lines,
    drop_partial_lines,
    read_jsonl,
    temp_path,
    write_jsonl,
)


def test_names_of_a_run_and_a_source(tmp_path: Path) -> None:
    run = RunStaging(tmp_path, "r1")
    assert run.folder == tmp_path / "runs" / "r1"
    assert run.seen == run.folder / "seen.txt"
    assert run.plan == run.folder / "crawl_plan.json"
    assert run.warc_file("kloop") == "warc/r1/kloop.warc.gz"
    assert run.warc_path("kloop") == tmp_path / "warc" / "r1" / "kloop.warc.gz"
    assert RunStaging.at(run.folder) == run
    source = run.source("kloop")
    assert source.folder == run.folder / "kloop"
    assert SourceStaging.at(source.folder) == source
    assert [p.name for p in source.crawl_appended] == [
        "captures.jsonl", "pages.jsonl", "errors.jsonl", "links.jsonl"]
    assert (source.extracted.name, source.extract_errors.name, source.tagged.name,
            source.places.name) == ("extracted.jsonl", "extract_errors.jsonl", "tagged.jsonl",
                                    "places.jsonl")
    assert (source.crawl_stats.name, source.crawl_log.name, source.extract_stats.name) == (
        "stats.json", "crawl.log", "extract_stats.json")
    assert temp_path(source.extracted) == source.folder / "extracted.tmp"


def test_sources_of_a_run_from_folders_and_warc_files(tmp_path: Path) -> None:
    run = RunStaging(tmp_path, "r1")
    assert run.staged_source_ids() == [] and run.archived_source_ids() == []
    run.source("kloop").folder.mkdir(parents=True)
    run.source("24kg").folder.mkdir()
    run.seen.write_text("")
    run.warc_path("azattyq").parent.mkdir(parents=True)
    run.warc_path("azattyq").write_bytes(b"")
    assert run.staged_source_ids() == ["24kg", "kloop"]
    assert run.archived_source_ids() == ["azattyq"]


def test_atomic_writer_replaces_the_file_whole(tmp_path: Path) -> None:
    path = tmp_path / "extracted.jsonl"
    assert write_jsonl(path, [{"a": 1}, {"a": "ж"}]) == 2
    assert list(read_jsonl(path)) == [{"a": 1}, {"a": "ж"}]
    assert "ж" in path.read_text(encoding="utf-8")  # kept readable, not \u-escaped
    assert not temp_path(path).exists()


def test_atomic_writer_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    path = tmp_path / "extracted.jsonl"
    write_jsonl(path, [{"old": True}])

    def rows():
        yield {"new": 1}
        raise RuntimeError("worker died")

    with pytest.raises(RuntimeError):
        write_jsonl(path, rows())
    assert list(read_jsonl(path)) == [{"old": True}]
    assert not temp_path(path).exists()

    with pytest.raises(TypeError):  # a row that is not JSON
        write_jsonl(tmp_path / "tagged.jsonl", [{"ok": 1}, {"bad": object()}])
    assert not (tmp_path / "tagged.jsonl").exists()
    assert list(tmp_path.iterdir()) == [path]


def test_atomic_writer_commits_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "places.jsonl"
    out = AtomicJsonl(path).open()
    out.write({"n": 1})
    assert not path.exists()  # still in the temp file
    out.close(commit=False)
    assert not path.exists() and not temp_path(path).exists()
    out = AtomicJsonl(path).open()
    out.write({"n": 2})
    out.close(commit=True)
    out.close(commit=False)  # a second close changes nothing
    assert list(read_jsonl(path)) == [{"n": 2}]


def test_reading_a_missing_file_gives_nothing(tmp_path: Path) -> None:
    assert list(read_jsonl(tmp_path / "none.jsonl")) == []
    assert count_lines(tmp_path / "none.jsonl") == 0


def test_appended_lines_are_counted_and_read(tmp_path: Path) -> None:
    path = tmp_path / "src" / "errors.jsonl"
    assert append_jsonl(path, [{"n": 1}, {"n": 2}]) == 2
    appender = JsonlAppender(path)
    appender.write({"n": 3})
    # flushed at once: another reader sees the line before the appender closes
    assert count_lines(path) == 3
    appender.close()
    assert [r["n"] for r in read_jsonl(path)] == [1, 2, 3]


def test_tail_returns_a_half_written_line_only_once_complete(tmp_path: Path) -> None:
    path = tmp_path / "pages.jsonl"
    tail = JsonlTail(path)
    assert tail.new_rows() == []  # the crawl has not started yet
    line = json.dumps({"url": "https://kloop.kg/a", "title": "Милиция"},
                      ensure_ascii=False).encode()
    cut = line.index("Милиция".encode()) + 1  # mid-way through a two-byte character
    with path.open("ab") as fh:
        fh.write(b'{"url": "https://kloop.kg/0"}\n')
        fh.write(line[:cut])
    assert tail.new_rows() == [{"url": "https://kloop.kg/0"}]
    assert tail.new_rows() == []
    with path.open("ab") as fh:
        fh.write(line[cut:])
    assert tail.new_rows() == []  # no newline yet
    with path.open("ab") as fh:
        fh.write(b"\n")
    assert tail.new_rows() == [{"url": "https://kloop.kg/a", "title": "Милиция"}]
    assert tail.new_rows() == []


def test_partial_line_repair_drops_a_last_line_cut_short(tmp_path: Path) -> None:
    path = tmp_path / "captures.jsonl"
    path.write_text('{"n": 1}\n{"n": 2}\n{"n": 3, "url": "htt', encoding="utf-8")
    drop_partial_lines(path)
    assert path.read_text(encoding="utf-8") == '{"n": 1}\n{"n": 2}\n'
    assert count_lines(path) == 2
    assert not temp_path(path).exists()
    # a line complete up to its newline (cut just before it) is dropped too
    path.write_text('{"n": 1}\n{"n": 2}', encoding="utf-8")
    drop_partial_lines(path)
    assert [r["n"] for r in read_jsonl(path)] == [1]
    # whole files, and missing ones, are left alone
    before = path.stat().st_mtime_ns
    drop_partial_lines(path)
    assert path.stat().st_mtime_ns == before
    drop_partial_lines(tmp_path / "links.jsonl")
    assert not (tmp_path / "links.jsonl").exists()
    # appending after the repair continues with whole lines
    append_jsonl(path, [{"n": 4}])
    assert [r["n"] for r in read_jsonl(path)] == [1, 4]
