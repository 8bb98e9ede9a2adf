"""``geo check``: validate and resolve the place list, write nothing."""

from __future__ import annotations

from pathlib import Path

import click

from geo.cli.options import (
    load_story,
    online_options,
    places_argument,
    strict_option,
    warn,
)
from geo.resolve import Resolved, measure
from geo.review import concerns


@click.command("check")
@places_argument
@strict_option
@online_options
def command(places: Path, strict: bool) -> None:
    """Check PLACES (default places.yaml) and show what each place resolves to.

    One line per place: name, geometry type, coordinates (lat, lon), precision,
    where the coordinates came from and how sure they are (a confidence below 0.6
    is a guess: unverified). Then what looks wrong: points outside the country
    (and the swapped pair, when that is inside), and distances the article states
    that the geometry contradicts. Exits 1 if a place cannot be placed, or with
    --strict if one is unverified.

    \b
    Example:
        geo check places.yaml
    """
    story = load_story(places, strict)
    place_list, resolution = story.place_list, story.resolution
    for item in resolution.resolved:
        click.echo(describe(item))
    for problem in resolution.problems:
        click.echo(f"{problem.place.name}\tNOT PLACED\t{problem.message}")
    for m in measure(resolution):
        edge = "the edge of " if m.measure_from == "edge" else ""
        click.echo(
            f"{m.place.name}: the article says {m.says!r} ({m.stated_km:g} km); "
            f"the geometry gives {m.measured_km:.1f} km from {edge}{m.of}"
        )
    for concern in concerns(place_list, resolution):
        warn(f"{places}:{concern.line}: place {concern.name!r}: {concern.message}")
    count, guesses = len(resolution.resolved), len(resolution.unverified)
    summary = f"{places}: {count} of {len(place_list.places)} places resolved"
    click.echo(summary + (f", {guesses} unverified" if guesses else ""), err=True)
    if resolution.problems:
        raise click.exceptions.Exit(1)


def km(value: float) -> str:
    """A distance as people write it: 1.5, 12.3, 243."""
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def describe(item: Resolved) -> str:
    lat, lon = item.anchor
    precision = item.precision if item.precision == "exact" else f"approximate ±{km(item.radius_km or 0)} km"
    if item.outlined and item.precision == "exact":
        precision = "outline"  # an area, not a point: the coordinates are its marker's
    sure = f"confidence {item.confidence:.2f}" + (" UNVERIFIED" if item.unverified else "")
    return f"{item.place.name}\t{item.geometry.geom_type}\t{lat:.5f}, {lon:.5f}\t{precision}\t{item.origin}\t{sure}"
