"""The `steppewatch` command. Each module is one group of commands; importing it registers
its commands on the shared Typer app (flows.cli.app), in the order the help lists them."""
# isort: skip_file

from flows.cli.app import app
from flows.cli import run, alerts, tagging, warehouse, web  # noqa: F401  (registers the commands)
from flows.cli import feedback  # noqa: F401  (registers the commands)
from flows.cli import sources  # noqa: F401  (registers the commands)

__all__ = ["app"]
