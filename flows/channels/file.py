"""The file channel: the report as RUN-RULE.{html,md,json} in the reports folder.

Writing is idempotent (fixed names, written whole then renamed), so a retry is always safe.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flows.channels.base import ChannelBase, ChannelError, RenderedReport
from flows.settings import AlertChannel


def report_paths(folder: Path, run_id: str, rule: str) -> dict[str, Path]:
    return {ext: folder / f"{run_id}-{rule}.{ext}" for ext in ("html", "md", "json")}


class FileChannel(ChannelBase):
    def __init__(self, config: AlertChannel, reports_dir: Path) -> None:
        super().__init__(config)
        self.folder = Path(self.options.get("folder", reports_dir))
        self.send_empty = bool(self.options.get("send_empty", True))

    def compose(self, report: RenderedReport) -> list[dict[str, Any]]:
        paths = report_paths(self.folder, report.report.run_id, report.report.rule)
        return [{"files": {paths["html"].name: report.html, paths["md"].name: report.markdown,
                           paths["json"].name: report.json}}]

    def send_part(self, part: dict[str, Any], key: str, index: int, total: int) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for name, content in part["files"].items():
                temporary = self.folder / f".{name}.{key[:12]}.tmp"
                temporary.write_text(content, encoding="utf-8")
                os.replace(temporary, self.folder / name)
        except OSError as error:
            raise ChannelError(f"channel {self.name!r}: cannot write to {self.folder}: "
                               f"{error.strerror or error}") from None
