"""The file channel: the report as RUN-RULE.{html,md,json} in the reports folder.

Composing writes the three files to `.outbox/` in that folder, and the outbox message
holds only their paths (a report of thousands of stories is ~100 MB: it is not copied into
the warehouse). Sending copies them to their names, whole then renamed: idempotent, so
a retry or a resend is always safe.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from flows.alerts.channels.base import ChannelBase, ChannelError, RenderedReport
from flows.alerts.report import report_paths
from flows.settings import AlertChannel


class FileChannel(ChannelBase):
    def __init__(self, config: AlertChannel, reports_dir: Path) -> None:
        super().__init__(config)
        self.folder = Path(self.options.get("folder", reports_dir))
        self.send_empty = bool(self.options.get("send_empty", True))

    def compose(self, report: RenderedReport) -> list[dict[str, Any]]:
        paths = report_paths(self.folder, report.report.run_id, report.report.rule)
        staged = {}
        try:
            (self.folder / OUTBOX).mkdir(parents=True, exist_ok=True)
            for ext, path in paths.items():  # one rendering in memory at a time
                staged_path = self.folder / OUTBOX / path.name
                _write_whole(staged_path, getattr(report, RENDERINGS[ext]))
                staged[path.name] = str(staged_path)
        except OSError as error:
            raise ChannelError(f"channel {self.name!r}: cannot write to {self.folder}: "
                               f"{error.strerror or error}") from None
        return [{"staged": staged}]

    def send_part(self, part: dict[str, Any], key: str, index: int, total: int) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, staged in part["staged"].items():
                temporary = self.folder / f".{name}.{key[:12]}.tmp"
                shutil.copyfile(staged, temporary)
                os.replace(temporary, self.folder / name)
        except OSError as error:
            raise ChannelError(f"channel {self.name!r}: cannot write to {self.folder}: "
                               f"{error.strerror or error}") from None


RENDERINGS = {"html": "html", "md": "markdown", "json": "json"}  # file extension: property
OUTBOX = ".outbox"  # the composed reports, until (and after) they are sent


def _write_whole(path: Path, content: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(content, encoding="utf-8")
    os.replace(temporary, path)
