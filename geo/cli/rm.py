"""``geo rm``: remove a place from the place list, the rest of the file untouched."""

from __future__ import annotations

from pathlib import Path

import click

from geo import edit
from geo.cli.options import places_argument


@click.command("rm")
@click.argument("name")
@places_argument
def command(name: str, places: Path) -> None:
    """Remove the place NAME (or the place with that alias) from PLACES.

    Its lines are deleted, and so is a comment written right above them (it is
    about the place); nothing else in the file changes. Refused while another
    place, a check or map.focus refers to it.

    \b
    Example:
        geo rm "Tabqa dam" places.yaml
    """
    change = edit.remove_place(places, name)
    click.echo(f"geo: removed {change.name!r} from {places}", err=True)
