"""``geo pin``: write the coordinates a gazetteer found into the place list."""

from __future__ import annotations

from pathlib import Path

import click

from geo import edit, online
from geo.cli.options import gazetteer, load_story, online_options, places_argument
from geo.gazetteer import Match


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
    pinned = pin(places, name, ref, checked)
    match, sure = pinned.match, "checked" if checked or ref is not None else f"confidence {pinned.confidence:.2f}"
    click.echo(f"geo: pinned {pinned.change.name!r} to {match.ref} ({match.name}, {match.lat:.5f}, {match.lon:.5f}; "
               f"{sure}) in {places}", err=True)  # fmt: skip


def pin(places: Path, name: str, ref: str | None, checked: bool, settings: online.Settings | None = None) -> edit.Pinned:
    """Pin NAME as `geo pin` does (also for `geo serve --edit`): with the command's gazetteer and resolution."""

    def resolved(place: str) -> tuple[Match | None, float, str]:
        resolution = load_story(places, settings=settings).resolution
        found = resolution.by_name().get(place)
        if found is None or found.match is None:
            return None, 0.0, next((p.message for p in resolution.problems if p.place.name == place), "")
        return found.match, found.confidence, ""

    return edit.pin_place(places, name, ref=ref, checked=checked, record=gazetteer(places, settings).record,
                          resolved=resolved)  # fmt: skip
