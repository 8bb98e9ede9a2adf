"""``geo render``: the map as a static image (PNG) or an editable vector file (SVG, PDF)."""

from __future__ import annotations

from pathlib import Path

import click

from geo.cli.options import load_story, places_argument, strict_option, warn
from geo.output import format_of, writable_target, write_atomic

ELSEWHERE = "choose another path with -o"


@click.command("render")
@places_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("output/render.png"),
              show_default=True, help="File to write: .png, .svg or .pdf.")  # fmt: skip
@click.option("--size", default="social", show_default=True, metavar="NAME|WxH",
              help="social (1200×675), square (1080×1080), print (A4 landscape, 300 dpi) or WIDTHxHEIGHT pixels.")  # fmt: skip
@click.option("--bounds", metavar="S,W,N,E", help="The view in degrees, instead of the page's opening view.")
@click.option("--tiles", metavar="NAME|URL",
              help="Draw map tiles instead of the offline basemap, when they can be fetched: street, satellite, "
                   "light, or a URL template such as https://tiles.example/{z}/{x}/{y}.png.")  # fmt: skip
@strict_option
def command(places: Path, output: Path, size: str, bounds: str | None, tiles: str | None, strict: bool) -> None:
    """Render PLACES as a static map: PNG for social and newsletters, SVG or PDF for print.

    The map is the page's as it opens: its layers, symbols and colours by kind,
    labels, a title, the source and date, a legend, a scale bar and credits,
    over an offline basemap. SVG and PDF keep text as text and each layer as a
    group. The same place list renders the same bytes.

    \b
    Example:
        geo render                           # output/render.png, 1200×675 for social
        geo render -o map.svg --size print   # A4 landscape, for the graphics desk
        geo render -o card.png --size square --bounds 35.5,38.5,36.3,39.5
    """
    from geo.api import _render_module

    render = _render_module()
    writable_target(output, ELSEWHERE)  # refused at once, not after the work
    file_format = format_of(output, render.FORMATS)
    chosen_size = render.parse_size(size)
    if bounds:
        render.parse_bounds(bounds)  # a bad option is refused before the work
    image = load_story(places, strict).render(file_format, size=size, bounds=bounds, tiles=tiles, warn=warn)
    write_atomic(output, image, elsewhere=ELSEWHERE)
    click.echo(f"geo: wrote {output} ({chosen_size.width_px}×{chosen_size.height_px} px)", err=True)
