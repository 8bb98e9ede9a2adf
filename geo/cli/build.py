"""``geo build``: the place list as an interactive map page."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import click

from geo.cli.options import (
    article_option,
    cdn_option,
    load_story,
    online_options,
    places_argument,
    strict_option,
)
from geo.output import format_of, writable_target, write_atomic

output_option = click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("output/map.html"),
    show_default=True, help="HTML file to write.",
)  # fmt: skip


@click.command("build")
@places_argument
@output_option
@click.option("--open", "open_", is_flag=True, help="Open the map in the default browser.")
@strict_option
@article_option
@cdn_option
@online_options
def command(places: Path, output: Path, open_: bool, strict: bool, article: Path | None, cdn: bool) -> None:
    """Build the map of PLACES (default places.yaml) into OUTPUT.

    The page carries everything it runs, so it works from a file with no
    network. It is written atomically: if anything is wrong, the previous map
    stays as it was.

    \b
    Example:
        geo build places.yaml -o output/map.html --open
        geo build --article article.txt
        geo build --cdn
    """
    build(places, output, strict, article, cdn)
    if open_:
        show(output)


ELSEWHERE = "choose another path with -o"
PAGE_EXTENSIONS = {".html": "html", ".htm": "html"}


def build(places: Path, output: Path, strict: bool = False, article: Path | None = None, cdn: bool = False) -> None:
    writable_target(output, ELSEWHERE)  # refused at once, not after the work
    format_of(output, PAGE_EXTENSIONS)  # a page named map.png would open nowhere: `geo render` draws images
    from geo import basemap

    basemap.derive_in_background()  # on a machine's first map, while the gazetteer index is built
    story = load_story(places, strict)
    if not story.place_list.places:
        click.echo(f"geo: warning: {places} has no places; the map shows the world", err=True)
    if article:
        # The extractor's package is heavy, and only this option needs it.
        from geo.extract.text import read_article

        story.article = read_article(article)
    write_atomic(output, story.to_html(cdn=cdn), elsewhere=ELSEWHERE)
    click.echo(f"geo: wrote {output} ({len(story.places)} places)", err=True)


def show(output: Path) -> None:
    url = output.resolve().as_uri()
    if not webbrowser.open(url):
        click.echo(f"geo: open {url} in a browser", err=True)
