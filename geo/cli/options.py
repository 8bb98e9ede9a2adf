"""Arguments and options shared by several commands, and the steps they share."""

from __future__ import annotations

from pathlib import Path

import click

from geo import placelist
from geo.gazetteer import default_gazetteer
from geo.placelist import PlaceList
from geo.resolve import Resolution, resolve

places_argument = click.argument(
    "places", type=click.Path(dir_okay=False, path_type=Path), default="places.yaml", required=False
)
strict_option = click.option("--strict", is_flag=True, help="Fail when a place cannot be placed, instead of warning.")


def load_and_resolve(path: Path, strict: bool = False) -> tuple[PlaceList, Resolution]:
    """Read the place list and resolve it; warn on stderr about places left out.

    With ``strict``, a place that cannot be placed is an error (exit 1).
    """
    place_list = placelist.load(path)
    resolution = resolve(place_list, default_gazetteer())
    for problem in resolution.problems:
        message = f"{path}:{problem.place.line}: place {problem.place.name!r} {problem.message}"
        if strict:
            from geo.errors import ResolutionError

            raise ResolutionError(message)
        click.echo(f"geo: warning: {message}; it is left off the map", err=True)
    return place_list, resolution
