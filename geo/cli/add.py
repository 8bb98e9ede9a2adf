"""``geo add``: a new place in the place list, the rest of the file untouched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from geo import edit
from geo.cli.options import places_argument


def latlon(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[float, float] | None:
    """``LAT,LON`` as two numbers in range."""
    if value is None:
        return None
    try:
        lat, lon = (float(part) for part in value.split(","))
    except ValueError:
        raise click.BadParameter(f"{value!r}: write it as LAT,LON in decimal degrees, e.g. 35.95,39.01") from None
    try:
        edit.check_point(lat, lon)
    except edit.EditError as exc:
        raise click.BadParameter(str(exc)) from None
    return (lat, lon)


@click.command("add")
@click.argument("name")
@places_argument
@click.option("--at", "at", metavar="LAT,LON", callback=latlon, help="Its point, in decimal degrees.")
@click.option("--of", "of", metavar="PLACE", help="Place it relative to PLACE (with --distance and --bearing).")
@click.option("--distance", type=click.FloatRange(min=0, min_open=True), metavar="KM", help="Distance from --of, km.")
@click.option("--bearing", metavar="BEARING", help="Direction from --of: degrees from north, or north, NE, ...")
@click.option("--from-edge", is_flag=True,
              help="Measure --distance from the edge of --of, not its centre (from a country or region, always its edge).")
@click.option("--approximate", type=click.FloatRange(min=0, min_open=True), metavar="KM",
              help="The position is uncertain by this radius, km.")  # fmt: skip
@click.option("--kind", help="city, town, village, district, base, site, river, border, country, ...")
@click.option("--layer", help="Layer id (one of `layers:`; default the first).")
@click.option("--alias", "aliases", multiple=True, help="Another spelling; repeatable.")
@click.option("--country", help="ISO country code that helps the look-up, e.g. SY.")
@click.option("--note", help="Text shown in its popup.")
@click.option("--source", "sources", multiple=True, help="Where its position comes from; repeatable.")
@click.option("--after", metavar="PLACE", help="Insert after PLACE (default: at the end of the list).")
def command(
    name: str, places: Path, at: tuple[float, float] | None, of: str | None, distance: float | None,
    bearing: str | None, from_edge: bool, approximate: float | None, kind: str | None, layer: str | None,
    aliases: tuple[str, ...], country: str | None, note: str | None, sources: tuple[str, ...], after: str | None,
) -> None:  # fmt: skip
    """Add the place NAME to PLACES (default places.yaml).

    Give its point with --at, or place it relative to another place with --of,
    --distance and --bearing; with neither, the gazetteer looks the name up when
    the map is built. Only the new lines are written: comments, order and quoting
    of the rest of the file stay as they are. The edit is refused if it would make
    the file invalid, or if the file changed since it was read.

    \b
    Examples:
        geo add "Tabqa dam" --at 35.8606,38.5661 --kind site --layer front
        geo add Kobani --alias "Ayn al-Arab" --country SY
        geo add "SDF camp" --of Raqqa --distance 10 --bearing NE --approximate 3
    """
    relative = [opt for opt, value in (("--of", of), ("--distance", distance), ("--bearing", bearing)) if value is not None]
    if at is not None and relative:
        raise click.UsageError(f"give --at or {relative[0]}, not both")
    if relative and len(relative) < 3:
        raise click.UsageError("a relative place needs --of, --distance and --bearing")
    if from_edge and not relative:
        raise click.UsageError("--from-edge goes with --of, --distance and --bearing")
    fields: dict[str, Any] = {
        "name": name,
        "aliases": edit.flow(aliases) if aliases else None,
        "kind": kind,
        "layer": layer,
        "country": country,
        "notes": note,
        "sources": list(sources),
    }
    if at is not None:
        fields["point"] = edit.flow(at)
    elif relative:
        fields["relative"] = {"of": of, "distance_km": _number(distance), "bearing": _bearing(bearing or "")}
        if from_edge:
            fields["relative"]["from"] = "edge"
    if approximate is not None:
        fields["precision"], fields["radius_km"] = "approximate", _number(approximate)
    saved = edit.add_place(places, fields, after=after).places
    line = next(p.line for p in saved.places if p.name == name)
    how = "to be looked up" if at is None and not relative else ""
    click.echo(f"geo: added {name!r} to {places}:{line} {how}".rstrip(), err=True)


def _bearing(text: str) -> Any:
    try:
        return float(text) if "." in text else int(text)
    except ValueError:
        return text


def _number(value: float | None) -> float | int | None:
    return int(value) if value is not None and value.is_integer() else value

