"""``geo gazetteer build|info``: make the offline index now rather than on first use, and see its state."""

from __future__ import annotations

import time

import click


@click.group("gazetteer")
def command() -> None:
    """The offline gazetteer index (GeoNames places, regions and countries, geo's curated places).

    \b
    Examples:
        geo gazetteer build    # now, rather than on the first lookup
        geo gazetteer info
    """


@command.command("build")
def build_command() -> None:
    """Build the index into the user cache directory (GEO_CACHE_DIR overrides it).

    A bar on a terminal; one line per stage in a log or a pipe.

    \b
    Examples:
        geo gazetteer build
        GEO_CACHE_DIR=/srv/geo-cache geo gazetteer build    # for another cache directory
    """
    from geo.gazetteer.index import build, index_path, shown_progress

    start = time.monotonic()
    with shown_progress() as progress:
        path = build(index_path(), progress)
    size = path.stat().st_size / 1e6
    click.echo(f"geo: gazetteer index built in {time.monotonic() - start:.0f} s: {path} ({size:.0f} MB)", err=True)


@command.command("info")
def info_command() -> None:
    """Where the index is, whether it is current (every page is checked), and its size.

    \b
    Example:
        geo gazetteer info
    """
    from geo.gazetteer.index import full_check, index_path, is_current

    path = index_path()
    if not path.exists():
        state = "missing (built on next use, or run `geo gazetteer build`)"
    elif damage := full_check(path):
        state = f"damaged: {damage} (rebuilt on next use, or run `geo gazetteer build`)"
    elif not is_current(path):
        state = "out of date (rebuilt on next use, or run `geo gazetteer build`)"
    else:
        state = "current"
    size = f", {path.stat().st_size / 1e6:.0f} MB" if path.exists() else ""
    click.echo(f"{path}: {state}{size}")
