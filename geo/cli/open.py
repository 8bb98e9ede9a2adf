"""``geo open``: build the map, then open it in the default browser."""

from __future__ import annotations

from pathlib import Path

import click

from geo.cli.build import build, output_option, show
from geo.cli.options import article_option, cdn_option, online_options, places_argument, strict_option


@click.command("open")
@places_argument
@output_option
@strict_option
@article_option
@cdn_option
@online_options
def command(places: Path, output: Path, strict: bool, article: Path | None, cdn: bool) -> None:
    """Build the map of PLACES and open it in the default browser: `geo build --open`.

    With no browser to open, it says where the page is.

    \b
    Examples:
        geo open places.yaml
        geo open --article article.txt --online
    """
    build(places, output, strict, article, cdn)
    show(output)
