"""``geo export``: the resolved place list as GeoJSON."""

from __future__ import annotations

from pathlib import Path

import click

from geo.cli.options import load_story, places_argument, strict_option
from geo.output import write_atomic


@click.command("export")
@places_argument
@click.option("-o", "--output", default="-", show_default=True, help="GeoJSON file to write; - for stdout.")
@strict_option
def command(places: Path, output: str, strict: bool) -> None:
    """Export PLACES as an RFC 7946 GeoJSON FeatureCollection.

    Coordinates are (lon, lat); polygons wind counter-clockwise. Each feature
    carries name, aliases, kind, precision, radius_km (approximate places), notes,
    events, sources and layer.

    \b
    Example:
        geo export places.yaml -o places.geojson
        geo export | jq '.features[].properties.name'
    """
    text = load_story(places, strict).to_geojson()
    if output == "-":
        click.echo(text, nl=False)
    else:
        write_atomic(Path(output), text, elsewhere="choose another path with -o, or - for standard output")
        click.echo(f"geo: wrote {output}", err=True)
