"""The ``geo`` command line: one module per command, errors handled here only.

Data goes to stdout, messages to stderr. A mistake in the input (a
:class:`geo.errors.GeoError`, or a value click refuses for an option or argument)
becomes one line and exit status 1; a command line of the wrong shape (an unknown
option, a missing argument, options that exclude each other) gets click's usage
message and status 2; anything else is a bug, reported in one line with how to
report it (``--debug`` shows the traceback).
"""

from __future__ import annotations

import atexit
import gc
import re
from functools import cache
from typing import Any

import click

from geo import __version__
from geo.errors import GeoError

COMMANDS = ("build", "open", "check", "export", "render", "add", "pin", "rm", "resolve", "gazetteer", "extract", "serve", "corpus")


UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""Line breaks, terminal escapes, bidirectional overrides and lone surrogates: they would break the line or the terminal."""


def one_line(message: str) -> str:
    """``message`` as one line of plain text, each control character written as an escape (``\\n``, ``\\x1b``)."""
    return UNPRINTABLE.sub(lambda found: found.group().encode("unicode_escape").decode("ascii"), message)


def describe(exc: BaseException, rerun: str = "rerun with --debug") -> str:
    """An exception as the one line a user sees: what to fix, or that it is a bug in geo and what to do."""
    if isinstance(exc, GeoError):
        return f"error: {one_line(str(exc))}"
    return (f"internal error: {type(exc).__name__}: {one_line(str(exc))} "
            f"(a bug in geo: {rerun} and report the traceback with your place list)")  # fmt: skip


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
        except click.BadParameter as exc:
            if isinstance(exc, click.MissingParameter):
                raise  # the command line's shape: click's usage message
            # A value given that is wrong (a coordinate, a date, a file) is the input's mistake, like a place list's.
            click.echo(f"geo: error: {one_line(exc.format_message())}", err=True)
            ctx.exit(1)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except Exception as exc:  # the one place errors become lines: a GeoError is the user's to fix, the rest bugs
            if ctx.meta.get("geo.debug"):
                raise
            click.echo(f"geo: {describe(exc)}", err=True)
            ctx.exit(exc.exit_code if isinstance(exc, GeoError) else 70)


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
    _pace_collector()


COLLECTOR_PACE = (10_000, 20, 20)
"""Allocations between cyclic collections (CPython's default is 700, 10, 10). A command keeps most of
what it allocates, the modules it imports first of all: at the default pace a build runs some 160
collections, near a tenth of its time, mostly re-scanning those; at this pace some 30, in half the time
or less. The cycles a command leaves are freed all the same, a little later."""


@cache
def _pace_collector() -> None:
    """Collect cycles at :data:`COLLECTOR_PACE`, and not at exit, once per process.

    At exit the interpreter would run the collector over every object once more only to
    free memory the operating system is about to take back: for a build, longer than
    reading the place list. Frozen, they are left to it; files are closed and streams
    flushed as before.
    """
    gc.set_threshold(*COLLECTOR_PACE)
    atexit.register(gc.freeze)

