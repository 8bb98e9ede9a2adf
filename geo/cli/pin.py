"""``geo pin``: write the coordinates a gazetteer found into the place list."""

from __future__ import annotations

from pathlib import Path

import click

from geo import edit
from geo.cli.options import gazetteer, load_story, online_options, places_argument


@click.command("pin")
@click.argument("name")
@places_argument
@click.option("--ref", "ref", metavar="SOURCE:ID",
              help="Pin this gazetteer record instead of the one geo chose (marks the place checked).")  # fmt: skip
@click.option("--checked", is_flag=True, help="Mark the place as checked by a person: it is no longer unverified.")
@online_options
def command(name: str, places: Path, ref: str | None, checked: bool) -> None:
    """Write the gazetteer record of NAME into its entry in PLACES, as `ref:`.

    The place is looked up as `geo build` would (offline, or online with --online),
    and the record it resolves to is written as `ref: SOURCE:ID`, so the map draws
    that record whatever the gazetteer's ranking does later; the record is added to
    its sources with the date. A guess stays unverified until a person marks it
    --checked, or picks another record with --ref (`geo resolve NAME --candidates 5`
    lists them). Only that entry's lines change.

    \b
    Examples:
        geo pin Mosul
        geo pin Homs --ref geonames:169577
        geo pin Paris --checked
    """
    with edit.editing(places) as document:
        place = edit.pinnable(document, name, replace_given=ref is not None)
        if ref is not None:
            match = gazetteer(places).record(ref)
            if match is None:
                raise edit.EditError(f"--ref {ref!r}: no gazetteer has this record; `geo resolve {place.name!r} "
                                     "--candidates 5` lists the records of the name")  # fmt: skip
            confidence = 1.0
        else:
            resolution = load_story(places).resolution
            resolved = resolution.by_name().get(place.name)
            if resolved is None or resolved.match is None:
                problem = next((p.message for p in resolution.problems if p.place.name == place.name), "")
                raise edit.EditError(f"{places}:{place.line}: {place.name!r} cannot be placed, so nothing to pin: {problem}")
            match, confidence = resolved.match, resolved.confidence
        edit.save(document, edit.pin(document, place.name, match, checked=checked or ref is not None,
                                     replace_given=ref is not None))  # fmt: skip
    sure = "checked" if checked or ref is not None else f"confidence {confidence:.2f}"
    click.echo(f"geo: pinned {place.name!r} to {match.ref} ({match.name}, {match.lat:.5f}, {match.lon:.5f}; {sure}) "
               f"in {places}", err=True)  # fmt: skip
