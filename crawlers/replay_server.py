"""Loopback HTTP server for the offline replay web (see docs/REPLAY.md).

Serves `tests/replay/sites/<host>/<path>` files for any real outlet host, chosen by the
`X-Replay-Host` header or else the `Host` header, so a crawl of the real URLs in
config/sources.toml can run without internet. Per-path quirks (status, headers,
redirects, delays, legacy encodings, first-requests-fail, endless subtrees, padded bodies)
come from `<host>/_replay.toml`.

The replay web can change over time: overlays (folders laid out like the sites folder) are
later states of it. A file of an overlay replaces the site's file, its `_replay.toml` rules
replace the site's rules path by path, and a rule with `deleted = true` takes the page away
(docs/REPLAY.md). The server serves the sites with the overlays it is told to apply.
"""

from __future__ import annotations

import argparse
import email.utils
import hashlib
import re
import threading
import time
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

OVERRIDES_FILE = "_replay.toml"
# One fixed date for every file: replays must not depend on checkout mtimes.
LAST_MODIFIED = "Sun, 29 Nov 2026 00:00:00 GMT"
CONTENT_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".gz": "application/gzip",
}
DEFAULT_CONTENT_TYPE = "application/octet-stream"
PORT_SUFFIX = re.compile(r":\d+$")
QUERY_MARK = "@"  # file-name suffix that carries a query string: index@p=1.html

Request = tuple[str, str, int]  # (host, path_with_query, status)


@dataclass
class Reply:
    """What the server sends back for one request."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0


def candidate_files(path: str, query: str) -> list[str]:
    """Site-relative file names that may hold URL `path`, most specific first."""
    rel = path.lstrip("/")
    if rel == "" or rel.endswith("/"):
        names = [rel + "index.html", rel + "index.xml"]
    else:
        names = [rel, rel + ".html", rel + ".xml", rel + "/index.html", rel + "/index.xml"]
    if not query:
        return names
    return [with_query(name, query) for name in names] + names


def with_query(name: str, query: str) -> str:
    """Insert `@query` before the file extension: `news/list.html` -> `news/list@page=2.html`."""
    head, slash, base = name.rpartition("/")
    stem, dot, ext = base.partition(".")
    return f"{head}{slash}{stem}{QUERY_MARK}{query.replace('/', '%2F')}{dot}{ext}"


def is_safe(path: str) -> bool:
    """Reject traversal and the overrides file itself."""
    parts = path.split("/")
    return ".." not in parts and "\\" not in path and OVERRIDES_FILE not in parts


def content_type(name: str) -> str:
    """Content-Type from the file extension."""
    return CONTENT_TYPES.get(Path(name).suffix.lower(), DEFAULT_CONTENT_TYPE)


def not_found(text: str = "404 Not Found") -> Reply:
    """A short plain-text 404."""
    body = (text + "\n").encode()
    return Reply(404, {"Content-Type": "text/plain; charset=utf-8"}, body)


def etag_of(body: bytes) -> str:
    """Strong ETag: a hash of the exact bytes sent."""
    return '"' + hashlib.sha256(body).hexdigest()[:20] + '"'


def etag_matches(header: str, etag: str) -> bool:
    """If-None-Match uses weak comparison (RFC 9110 13.1.2)."""
    tags = [tag.strip().removeprefix("W/") for tag in header.split(",")]
    return "*" in tags or etag in tags


def not_modified_since(header: str, last_modified: str) -> bool:
    """True when the resource has not changed after the If-Modified-Since date."""
    try:
        since = email.utils.parsedate_to_datetime(header)
        modified = email.utils.parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return False
    return isinstance(since, datetime) and modified <= since


@dataclass(frozen=True)
class Rule:
    """One `[paths."/x"]` table of `_replay.toml`."""

    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    location: str | None = None
    delay: float = 0.0
    encoding: str | None = None
    # The first `fail_times` requests of the path get `fail_status` with `fail_headers`
    # (a 500 that succeeds on retry, a 429 with Retry-After).
    fail_times: int = 0
    fail_status: int = 500
    fail_headers: dict[str, str] = field(default_factory=dict)
    subtree: bool = False  # the path's rule and file also answer every path below it
    pad_to: int = 0  # pad the body with an HTML comment to this many bytes (huge pages)
    deleted: bool = False  # an overlay's page taken away: no file answers the path

    KEYS = frozenset({"status", "headers", "location", "delay", "encoding", "fail_times",
                      "fail_status", "fail_headers", "subtree", "pad_to", "deleted"})

    @classmethod
    def from_toml(cls, raw: dict[str, Any]) -> Rule:
        unknown = set(raw) - cls.KEYS
        if unknown:
            raise ValueError(f"unknown keys in {OVERRIDES_FILE}: {sorted(unknown)}")
        return cls(
            status=int(raw["status"]) if "status" in raw else None,
            headers={str(k): str(v) for k, v in raw.get("headers", {}).items()},
            location=str(raw["location"]) if "location" in raw else None,
            delay=float(raw.get("delay", 0)),
            encoding=str(raw["encoding"]) if "encoding" in raw else None,
            fail_times=int(raw.get("fail_times", 0)),
            fail_status=int(raw.get("fail_status", 500)),
            fail_headers={str(k): str(v) for k, v in raw.get("fail_headers", {}).items()},
            subtree=bool(raw.get("subtree", False)),
            pad_to=int(raw.get("pad_to", 0)),
            deleted=bool(raw.get("deleted", False)),
        )


NO_RULE = Rule()


class SiteStore:
    """Reads site files and their `_replay.toml` overrides; safe to share across threads."""

    def __init__(self, sites_dir: Path, overlays: tuple[Path, ...] = ()) -> None:
        self.sites_dir = sites_dir.resolve()
        self.overlays = tuple(Path(o).resolve() for o in overlays)  # later states, in order
        self._overrides: dict[str, dict[str, Rule]] = {}
        self._hits: dict[tuple[str, str], int] = {}
        self._lock = threading.Lock()

    def host_dir(self, host: str) -> Path | None:
        """Directory of a known host (in the sites or an overlay), else None."""
        folders = self.host_dirs(host)
        return folders[0] if folders else None

    def host_dirs(self, host: str) -> list[Path]:
        """The host's folders, the latest state first: overlays last to first, then sites."""
        if not host or not is_safe(host) or "/" in host:
            return []
        roots = [*reversed(self.overlays), self.sites_dir]
        return [root / host for root in roots if (root / host).is_dir()]

    def overrides(self, host: str, folder: Path) -> dict[str, Rule]:
        """Per-path overrides of one host, parsed once; an overlay's rule replaces the
        rule of the same path."""
        with self._lock:
            if host not in self._overrides:
                rules: dict[str, Rule] = {}
                for each in reversed(self.host_dirs(host)):
                    file = each / OVERRIDES_FILE
                    data = tomllib.loads(file.read_text("utf-8")) if file.is_file() else {}
                    rules |= {k: Rule.from_toml(v) for k, v in data.get("paths", {}).items()}
                self._overrides[host] = rules
            return self._overrides[host]

    def find_in_state(self, host: str, path: str, query: str) -> Path | None:
        """The file of the latest state that has one for `path?query`."""
        for folder in self.host_dirs(host):
            file = self.find_file(folder, path, query)
            if file is not None:
                return file
        return None

    def find_file(self, folder: Path, path: str, query: str) -> Path | None:
        """The file serving `path?query`, falling back to the path without its query."""
        for name in candidate_files(path, query):
            file = (folder / name).resolve()
            if file.is_file() and file.is_relative_to(folder.resolve()):
                return file
        return None

    def reply(self, host: str, target: str, headers: dict[str, str]) -> Reply:
        """Build the reply for one GET/HEAD of `target` (path with query) on `host`."""
        folder = self.host_dir(host)
        if folder is None:
            return not_found(f"404 Not Found: unknown replay host {host!r}")
        split = urlsplit(target)
        path = unquote(split.path) or "/"
        if not is_safe(path):
            return not_found()
        rules = self.overrides(host, folder)
        key, rule = find_rule(rules, target, split.path)
        if self.count_hit(host, key) <= rule.fail_times:
            body = status_text(rule.fail_status)
            reply_headers = merge_headers({"Content-Type": "text/plain; charset=utf-8"},
                                          rule.fail_headers)
            return Reply(rule.fail_status, reply_headers, body, rule.delay)
        file = None if rule.deleted else self.find_in_state(host, path, split.query)
        if file is None and rule.subtree:
            file = self.find_in_state(host, unquote(key), "")
        return apply_rule(file, rule, headers)

    def count_hit(self, host: str, key: str) -> int:
        """How many times (this one included) the rule at `key` has been requested."""
        with self._lock:
            self._hits[(host, key)] = self._hits.get((host, key), 0) + 1
            return self._hits[(host, key)]


def find_rule(rules: dict[str, Rule], target: str, path: str) -> tuple[str, Rule]:
    """The rule of the exact target, else of its path, else of a `subtree` path above it."""
    for key in (target, path):
        if key in rules:
            return key, rules[key]
    above = [k for k, r in rules.items() if r.subtree and path.startswith(k.rstrip("/") + "/")]
    if above:
        key = max(above, key=len)
        return key, rules[key]
    return path, NO_RULE


def apply_rule(file: Path | None, rule: Rule, request: dict[str, str]) -> Reply:
    """Combine the file (if any) with its override rule and the request's validators."""
    if rule.location is not None:
        headers = merge_headers({"Location": rule.location}, rule.headers)
        return Reply(rule.status or 301, headers, delay=rule.delay)
    if file is None and rule.status is None:
        return replace(not_found(), delay=rule.delay)
    status = rule.status or 200
    body = file.read_bytes() if file else status_text(status)
    if rule.encoding:
        # Fixtures are UTF-8 on disk; legacy-charset sites are re-encoded on the way out.
        body = body.decode("utf-8").encode(rule.encoding, "xmlcharrefreplace")
    if rule.pad_to > len(body):
        filler = rule.pad_to - len(body) - len(b"<!--  -->")
        body += b"<!-- " + b"x" * max(filler, 0) + b" -->"
    headers = {"Content-Type": content_type(file.name) if file else "text/plain; charset=utf-8"}
    if status == 200:
        headers |= {"ETag": etag_of(body), "Last-Modified": LAST_MODIFIED}
    headers = merge_headers(headers, rule.headers)
    if status == 200 and is_fresh(request, headers):
        kept = {k: v for k, v in headers.items() if k in ("ETag", "Last-Modified")}
        return Reply(304, kept, delay=rule.delay)
    return Reply(status, headers, body, rule.delay)


def merge_headers(base: dict[str, str], extra: dict[str, str]) -> dict[str, str]:
    """Overlay `extra` on `base`, matching header names case-insensitively."""
    merged = {k: v for k, v in base.items() if k.lower() not in {e.lower() for e in extra}}
    return merged | extra


def is_fresh(request: dict[str, str], headers: dict[str, str]) -> bool:
    """Conditional GET: If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)."""
    inm = request.get("if-none-match")
    if inm is not None:
        return "ETag" in headers and etag_matches(inm, headers["ETag"])
    ims = request.get("if-modified-since")
    return ims is not None and not_modified_since(ims, headers.get("Last-Modified", ""))


def status_text(status: int) -> bytes:
    """Short body for an override status that has no file."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Status"
    return f"{status} {phrase}\n".encode()


class ReplayHandler(BaseHTTPRequestHandler):
    """Answers GET and HEAD from the SiteStore of its server."""

    protocol_version = "HTTP/1.1"  # keep-alive like real sites; every reply has Content-Length
    server_version = "replay"
    sys_version = ""
    server: ReplayHTTPServer

    def do_GET(self) -> None:
        self.answer(send_body=True)

    def do_HEAD(self) -> None:
        self.answer(send_body=False)

    def replay_host(self) -> str:
        """X-Replay-Host if given, else Host without its port."""
        host = self.headers.get("X-Replay-Host") or self.headers.get("Host") or ""
        return PORT_SUFFIX.sub("", host.strip().lower())

    def answer(self, send_body: bool) -> None:
        host = self.replay_host()
        request = {k.lower(): v for k, v in self.headers.items()}
        try:
            reply = self.server.store.reply(host, self.path, request)
        except (OSError, ValueError) as err:  # incl. TOML and Unicode decode errors
            # A broken fixture should show up as an answer, not as a dropped connection.
            reply = Reply(500, {"Content-Type": "text/plain; charset=utf-8"}, f"{err}\n".encode())
        if reply.delay > 0:
            time.sleep(reply.delay)
        # Record before replying, so a client that got its answer always finds it logged.
        self.server.record((host, self.path, reply.status))
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        if reply.status != 304:
            self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if send_body and reply.body:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (stdlib signature)
        if self.server.verbose:
            super().log_message(format, *args)


class ReplayHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer that carries the site store and the request log."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], store: SiteStore, verbose: bool) -> None:
        super().__init__(address, ReplayHandler)
        self.store = store
        self.verbose = verbose
        self.requests: list[Request] = []
        self.requests_lock = threading.Lock()

    def record(self, request: Request) -> None:
        with self.requests_lock:
            self.requests.append(request)


class ReplayServer:
    """Replay web on 127.0.0.1 in a daemon thread; use as a context manager."""

    def __init__(self, sites_dir: Path, port: int = 0, verbose: bool = False,
                 overlays: tuple[Path, ...] = ()) -> None:
        self.sites_dir = Path(sites_dir)
        self.overlays = tuple(overlays)
        self._port = port
        self._verbose = verbose
        self._httpd: ReplayHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> ReplayServer:
        """Bind and serve in the background; port 0 picks a free port."""
        if self._httpd is not None:
            return self
        store = SiteStore(self.sites_dir, self.overlays)
        self._httpd = ReplayHTTPServer(("127.0.0.1", self._port), store, self._verbose)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, name="replay-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def serve_state(self, overlays: tuple[Path, ...] = ()) -> None:
        """From now on serve the sites with these overlays applied (none: the first state)."""
        self.overlays = tuple(overlays)
        if self._httpd is not None:
            self._httpd.store = SiteStore(self.sites_dir, self.overlays)

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("ReplayServer is not running")
        return int(self._httpd.server_address[1])

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def requests(self) -> list[Request]:
        """Copy of every request served so far: (host, path_with_query, status)."""
        if self._httpd is None:
            return []
        with self._httpd.requests_lock:
            return list(self._httpd.requests)

    def clear_requests(self) -> None:
        if self._httpd is not None:
            with self._httpd.requests_lock:
                self._httpd.requests.clear()

    def __enter__(self) -> ReplayServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> None:
    """`python -m crawlers.replay_server --sites DIR --port N`: serve in the foreground."""
    parser = argparse.ArgumentParser(description="Serve the offline replay web on loopback.")
    parser.add_argument("--sites", type=Path, required=True,
                        help="the replay web's folder, e.g. tests/replay/sites")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    parser.add_argument("--overlay", type=Path, action="append", default=[],
                        help="a later state of the sites to apply (repeat: in order)")
    args = parser.parse_args(argv)
    if not args.sites.is_dir():
        parser.error(f"no such sites directory: {args.sites}")
    server = ReplayServer(args.sites, args.port, verbose=not args.quiet,
                          overlays=tuple(args.overlay)).start()
    hosts = sorted(p.name for p in args.sites.iterdir() if p.is_dir())
    print(f"Replaying {len(hosts)} hosts from {args.sites} on http://{server.address}/")
    print("Pick a site with the Host or X-Replay-Host header, e.g.")
    print(
        f"  curl -H 'X-Replay-Host: {hosts[0] if hosts else 'kloop.kg'}' "
        f"http://{server.address}/robots.txt"
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
