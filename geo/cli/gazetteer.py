"""``geo gazetteer build|info``: make the offline index now rather than on first use."""

from __future__ import annotations

import time

import click


@click.group("gazetteer")
def command() -> None:
    """The offline gazetteer index (GeoNames places, regions and countries, geo's curated places).

    \b
    Example:
    geo gazetteer build    # now, rather than on the first lookup
    geo gazetteer info
    """


@command.command("build")
def build_command() -> None:
    """Build the index into the user cache directory (GEO_CACHE_DIR overrides it)."""
    from geo.gazetteer.index import STAGES, build, index_path

    start = time.monotonic()
    with click.progressbar(length=100, label="building gazetteer", file=click.get_text_stream("stderr")) as bar:
        share = 100 / len(STAGES)  # equal shares: a rough bar is all a one-minute build needs

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(min(100, int(share * (STAGES.index(stage) + done / max(total, 1)))) - bar.pos)

        path = build(index_path(), progress)
        bar.update(100 - bar.pos)
    size = path.stat().st_size / 1e6
    click.echo(f"geo: gazetteer index built in {time.monotonic() - start:.0f} s: {path} ({size:.0f} MB)", err=True)


@command.command("info")
def info_command() -> None:
    """Where the index is, whether it is current, and its size."""
    from geo.gazetteer.index import index_path, is_current

    path = index_path()
    state = "current" if is_current(path) else "missing or out of date (built on next use)"
    size = f", {path.stat().st_size / 1e6:.0f} MB" if path.exists() else ""
    click.echo(f"{path}: {state}{size}")
