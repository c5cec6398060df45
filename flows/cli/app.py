"""The `steppewatch` command's shared parts: the Typer app, its consoles, the global
--config/--data options and the one-line failure every command uses."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text

from flows.cli.output import plain_console

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="steppewatch: Central Asian news monitoring for police, protest and "
                       "torture stories.")
# Text is printed as given, never read as Rich markup or :emoji: codes (flows.cli.output).
out = plain_console(soft_wrap=True)
err = plain_console(stderr=True, soft_wrap=True)


class Paths:
    config: Path = Path("config")
    data: Path | None = None


def fail(message: str, code: int = 1) -> None:
    """One readable line on stderr and a non-zero exit."""
    err.print(Text.assemble(("error:", "red"), " ", message))
    raise typer.Exit(code)


@app.callback()
def main(
    config: Annotated[Path, typer.Option(envvar="STEPPEWATCH_CONFIG",
                                         help="Folder with sources.toml, topics.toml, "
                                              "settings.toml.")] = Path("config"),
    data: Annotated[Path | None, typer.Option(envvar="STEPPEWATCH_DATA",
                                              help="Data folder (warehouse, WARC, reports); "
                                                   "default ./data, ./data/demo for demo.")] = None,
) -> None:
    Paths.config, Paths.data = config, data


def data_dir(default: Path = Path("data")) -> Path:
    return Paths.data or default
