"""``geo resolve``: names to coordinates from the offline gazetteer, one per line or as JSON lines."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from geo import online
from geo.cli.options import online_options, online_settings, warn
from geo.errors import ResolutionError
from geo.gazetteer import Gazetteer, Match, default_gazetteer


def _record(name: str, match: Match) -> dict[str, object]:
    return {
        "name": name, "match": match.name, "lat": match.lat, "lon": match.lon, "country": match.country,
        "kind": match.kind, "source": match.source, "id": match.id, "score": match.score,
    }


def _near(gazetteer: Gazetteer, places: Iterable[str], country: str | None) -> tuple[tuple[float, float], ...]:
    """The (lat, lon) of each --near place: the context that ranks same-named places."""
    points = []
    for place in places:
        found = gazetteer.lookup(place, country=country)
        if not found:
            raise ResolutionError(f"--near {place!r}: no gazetteer knows this name")
        points.append((found[0].lat, found[0].lon))
    return tuple(points)


def _closest(gazetteer: Gazetteer, name: str) -> str:
    """A hint naming the closest spellings the index has, for a name it does not know."""
    found = gazetteer.lookup(name, candidates=3)
    return ", ".join(f"{m.name} ({m.country or '-'}, score {m.score:.0f})" for m in found) or "none"


@click.command("resolve")
@click.argument("names", nargs=-1, required=True)
@click.option("--country", metavar="CC", help="Prefer places in this country (ISO code, e.g. SY).")
@click.option("--near", "near_places", multiple=True, metavar="PLACE", help="Prefer places close to this one (repeatable).")
@click.option("--candidates", type=click.IntRange(min=1), default=1, show_default=True, help="How many matches per name.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@online_options
def command(names: tuple[str, ...], country: str | None, near_places: tuple[str, ...], candidates: int, as_json: bool) -> None:
    """Find NAMES in the offline gazetteer (GeoNames and geo's curated data), any spelling.

    \b
    Examples:
    geo resolve Raqqa "Al-Tanaf" --candidates 3
    geo resolve Mosul --near Raqqa --json
    geo resolve - < names.txt     # one name per line in, one JSON object per line out
    """
    gazetteer = online.with_online(default_gazetteer(), online_settings(Path("places.yaml")), warn)
    near = _near(gazetteer, near_places, country)
    if names == ("-",):
        names, as_json = tuple(line.strip() for line in sys.stdin if line.strip()), True
    missing = 0
    for name in names:
        found = gazetteer.lookup(name, country=country, near=near, candidates=candidates)
        exact = [m for m in found if m.score >= 80]
        if not exact:
            missing += 1
            hint = _closest(gazetteer, name)
            if as_json:
                click.echo(json.dumps({"name": name, "error": "not found", "closest": hint}, ensure_ascii=False))
            else:
                click.echo(f"geo: warning: {name!r} not found; closest: {hint}", err=True)
            continue
        for match in exact:
            if as_json:
                click.echo(json.dumps(_record(name, match), ensure_ascii=False))
            else:
                click.echo(
                    f"{name}\t{match.lat:.5f}\t{match.lon:.5f}\t{match.country or '-'}\t{match.kind}\t"
                    f"{match.name}\t{match.source} {match.id}\tscore {match.score:.0f}"
                )
    if missing and missing == len(names) and not as_json:
        raise ResolutionError(f"no place found for {', '.join(map(repr, names))}")
