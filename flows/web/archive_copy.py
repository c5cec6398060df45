"""The archived copy of a capture, straight from our own WARC: what the crawl recorded, the
record's WARC fields, its raw bytes to download, and a rendering that runs nothing.

It reads only the warehouse and our WARC files, so it keeps working after the outlet has
deleted or changed the page. The rendering and its browser policy are in
flows.web.sanitise; they are named here too so the workspace imports one module.
"""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
from warcio.exceptions import ArchiveLoadFailed

from crawlers.warc import read_response
from flows.web.sanitise import ARCHIVE_FRAME_CSP, ARCHIVE_FRAME_SANDBOX, sanitised_page
from warehouse.sql import statement

__all__ = ["ARCHIVE_FRAME_CSP", "ARCHIVE_FRAME_SANDBOX", "ArchivedCapture", "archived_capture",
           "raw_record", "sanitised_page"]

_COLUMNS = ("capture_id", "url", "kind", "http_status", "content_type", "content_sha1",
            "fetched_at", "warc_file", "warc_offset", "warc_length", "run_id", "source_id",
            "article_id", "article_title")
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class ArchivedCapture:
    """A `captures` row and what its WARC record says. When the record cannot be read (a
    WARC file lost or damaged), `record_error` says why and the record fields are empty."""

    capture_id: str
    url: str
    kind: str
    http_status: int
    content_type: str | None
    content_sha1: str  # hex SHA-1 of the payload, recorded when it was fetched
    fetched_at: datetime
    warc_file: str
    warc_offset: int
    warc_length: int
    run_id: str
    source_id: str
    article_id: str | None  # the article first extracted from this capture, if any
    article_title: str | None
    payload_digest: str | None = None  # WARC-Payload-Digest, "sha1:BASE32"
    warc_date: str | None = None
    warc_record_id: str | None = None
    response_headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""  # the payload, decoded from any Content-Encoding
    record_error: str | None = None

    @property
    def digest_matches(self) -> bool | None:
        """Whether the record's payload digest is the one recorded at fetch time (None when
        the record has no SHA-1 payload digest)."""
        algorithm, _, value = (self.payload_digest or "").partition(":")
        if algorithm.lower() != "sha1" or not value:
            return None
        try:
            return base64.b32decode(value.upper()).hex() == self.content_sha1
        except ValueError:
            return False


def _warc_path(data_dir: Path, warc_file: str) -> Path:
    """The WARC file of a capture, refused if its name leads outside the data folder."""
    path = (data_dir / warc_file).resolve()
    if not path.is_relative_to(data_dir.resolve()):
        raise ValueError(f"WARC file {warc_file!r} is outside the data folder {data_dir}")
    return path


def _with_record(data_dir: Path, row: dict) -> ArchivedCapture:
    try:
        _warc_path(data_dir, row["warc_file"])
        stored = read_response(data_dir, row["warc_file"], row["warc_offset"])
    except (OSError, StopIteration, ValueError, EOFError, zlib.error, ArchiveLoadFailed) as error:
        return ArchivedCapture(**row, record_error=(
            f"cannot read {row['warc_file']} at {row['warc_offset']}: "
            f"{type(error).__name__}: {error}"))
    fields = stored.warc_headers
    return ArchivedCapture(
        **row, payload_digest=fields.get("WARC-Payload-Digest"),
        warc_date=fields.get("WARC-Date"), warc_record_id=fields.get("WARC-Record-ID"),
        response_headers=stored.headers, body=stored.body)


def archived_capture(con: duckdb.DuckDBPyConnection, data_dir: Path,
                     capture_id: str) -> ArchivedCapture | None:
    """The capture `capture_id` with its WARC record read back; None if there is no such
    capture. `con` may be a read-only connection (warehouse.open_readonly)."""
    found = con.execute(statement("archive/capture"), {"capture_id": capture_id}).fetchone()
    if found is None:
        return None
    return _with_record(data_dir, dict(zip(_COLUMNS, found, strict=True)))


def raw_record(data_dir: Path, capture: ArchivedCapture) -> bytes:
    """The exact bytes of the capture's gzip member in its WARC file: by itself a valid
    one-record .warc.gz, to download and check with any WARC tool."""
    with _warc_path(data_dir, capture.warc_file).open("rb") as fh:
        fh.seek(capture.warc_offset)
        data = fh.read(capture.warc_length)
    if len(data) != capture.warc_length or not data.startswith(GZIP_MAGIC):
        raise ValueError(f"{capture.warc_file} holds no whole gzip member at "
                         f"{capture.warc_offset} ({capture.warc_length} bytes)")
    return data
