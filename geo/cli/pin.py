"""``geo pin``: write the coordinates a gazetteer found into the place list."""

from __future__ import annotations

from pathlib import Path

import click

from geo import edit
from geo.cli.options import load_and_resolve, online_options, places_argument


@click.command("pin")
@click.argument("name")
@places_argument
@online_options
def command(name: str, places: Path) -> None:
    """Write the coordinates found for NAME into its entry in PLACES.

    A place without geometry (or an area without a centre) is looked up as `geo
    build` would (offline, or online with --online); its point then goes into the
    file, with the gazetteer, the record id and the date added to its sources, so
    the map no longer depends on the look-up. Only that entry's lines change.

    \b
    Examples:
        geo pin Mosul
        geo pin "Tabqa" places.yaml --online
    """
    with edit.editing(places) as document:
        place = document.places.places[document.index(name)]
        _, resolution = load_and_resolve(places)
        resolved = resolution.by_name().get(place.name)
        if resolved is None:
            problem = next((p.message for p in resolution.problems if p.place.name == place.name), "")
            raise edit.EditError(
                f"{places}:{place.line}: {place.name!r} cannot be placed, so nothing to pin: {problem}"
            )
        edit.save(document, edit.pin(document, place.name, resolved))
    lat, lon = resolved.anchor
    click.echo(f"geo: pinned {place.name!r} at {lat:.5f}, {lon:.5f} ({resolved.origin}) in {places}", err=True)
