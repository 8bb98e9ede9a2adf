"""``geo open``: build the map, then open it in the default browser."""

from __future__ import annotations

from pathlib import Path

import click

from geo.cli.build import build, output_option, show
from geo.cli.options import places_argument, strict_option


@click.command("open")
@places_argument
@output_option
@strict_option
def command(places: Path, output: Path, strict: bool) -> None:
    """Build the map of PLACES and open it in the default browser.

    \b
    Example:
        geo open places.yaml
    """
    build(places, output, strict)
    show(output)
