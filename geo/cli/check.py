"""``geo check``: validate and resolve the place list, write nothing."""

from __future__ import annotations

from pathlib import Path

import click

from geo.cli.options import load_and_resolve, online_options, places_argument
from geo.resolve import Resolved, measure


@click.command("check")
@places_argument
@online_options
def command(places: Path) -> None:
    """Check PLACES (default places.yaml) and show what each place resolves to.

    One line per place: name, geometry type, coordinates (lat, lon), precision and
    where the coordinates came from. Figures the article states are compared with
    the geometry. Exits 1 if anything is wrong.

    \b
    Example:
        geo check places.yaml
    """
    place_list, resolution = load_and_resolve(places)
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
    count = len(resolution.resolved)
    click.echo(f"{places}: {count} of {len(place_list.places)} places resolved", err=True)
    if resolution.problems:
        raise click.exceptions.Exit(1)


def km(value: float) -> str:
    """A distance as people write it: 1.5, 12.3, 243."""
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def describe(item: Resolved) -> str:
    lat, lon = item.anchor
    precision = item.precision if item.precision == "exact" else f"approximate ±{km(item.radius_km or 0)} km"
    return f"{item.place.name}\t{item.geometry.geom_type}\t{lat:.5f}, {lon:.5f}\t{precision}\t{item.origin}"
