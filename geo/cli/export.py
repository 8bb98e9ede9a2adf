"""``geo export``: the resolved place list as GeoJSON, KML or CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from geo.cli.options import load_story, places_argument, strict_option
from geo.output import format_of, writable_target, write_atomic

if TYPE_CHECKING:
    from geo.api import Story

EXTENSIONS = {".geojson": "geojson", ".json": "geojson", ".kml": "kml", ".csv": "csv"}
ELSEWHERE = "choose another path with -o, or - for standard output"


@click.command("export")
@places_argument
@click.option("-o", "--output", default="-", show_default=True,
              help="File to write (.geojson, .json, .kml or .csv); - for stdout.")  # fmt: skip
@click.option("-f", "--format", "format_", type=click.Choice(["geojson", "kml", "csv"]),
              help="Format to write; default: from -o's extension, GeoJSON for stdout.")  # fmt: skip
@strict_option
def command(places: Path, output: str, format_: str | None, strict: bool) -> None:
    """Export PLACES as GeoJSON, KML (Google Earth) or CSV (spreadsheets, QGIS).

    GeoJSON is an RFC 7946 FeatureCollection: coordinates (lon, lat), polygons
    counter-clockwise; each feature carries name, aliases, kind, precision,
    radius_km (approximate places), notes, events, sources and layer. KML has a
    folder per layer and styles by kind; CSV has a row per place with its
    geometry as WKT.

    \b
    Example:
        geo export places.yaml -o places.geojson
        geo export -o places.kml
        geo export --format csv > places.csv
        geo export | jq '.features[].properties.name'
    """
    to_file = output != "-"
    if to_file:
        writable_target(Path(output), ELSEWHERE)  # refused at once, not after the work
        format_ = format_ or format_of(output, EXTENSIONS)
    story = load_story(places, strict)
    text = exported(story, format_ or "geojson", to_file)
    if to_file:
        write_atomic(Path(output), text, elsewhere=ELSEWHERE)
        click.echo(f"geo: wrote {output} ({len(story.places)} places)", err=True)
    else:
        click.echo(text, nl=False)


def exported(story: Story, format_: str, to_file: bool) -> str:
    """The story in ``format_``; a CSV file starts with a byte-order mark for spreadsheets."""
    if format_ == "kml":
        return story.to_kml()
    if format_ == "csv":
        return story.to_csv(bom=to_file)
    return story.to_geojson()
