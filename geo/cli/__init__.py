"""The ``geo`` command line: one module per command, errors handled here only.

Data goes to stdout, messages to stderr. A :class:`geo.errors.GeoError` becomes one
line and exit status 1; anything else is a bug, reported in one line with how to
report it (``--debug`` shows the traceback).
"""

from __future__ import annotations

from typing import Any

import click

from geo import __version__
from geo.errors import GeoError

COMMANDS = ("build", "open", "check", "export", "add", "pin", "rm", "resolve", "gazetteer", "extract", "serve")


class GeoGroup(click.Group):
    """Loads command modules on demand and turns exceptions into one-line errors."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module = __import__(f"geo.cli.{name}", fromlist=["command"])
        return module.command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except GeoError as exc:
            if ctx.meta.get("geo.debug"):
                raise
            click.echo(f"geo: error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except Exception as exc:  # noqa: BLE001 - the one place bugs are reported
            if ctx.meta.get("geo.debug"):
                raise
            click.echo(
                f"geo: internal error: {type(exc).__name__}: {exc} "
                "(a bug in geo: rerun with --debug and report the traceback with your place list)",
                err=True,
            )
            ctx.exit(70)


@click.group(cls=GeoGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geo")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Turn the places a news article mentions into an annotated, interactive map.

    \b
    The place list (places.yaml) is the source of truth; edit it and build again:
        geo check              # every place, its geometry and where it came from
        geo build --open       # write output/map.html and open it
        geo export -o places.geojson
    """
    ctx.meta["geo.debug"] = debug

