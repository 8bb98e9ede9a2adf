"""``geo extract``: from an article's plain text to a draft place list."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from geo.cli.options import iso_date
from geo.errors import GeoError, OutputError
from geo.output import write_atomic

if TYPE_CHECKING:
    from geo.extract import Extraction


class ExtractError(GeoError):
    """Options that do not fit together."""


@click.command("extract")
@click.argument("articles", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write (default: standard output).")  # fmt: skip
@click.option("--date", callback=iso_date, metavar="YYYY-MM-DD", help="The article's date: weekday names count from it.")
@click.option("--format", "format_", type=click.Choice(["yaml", "jsonl"]), default="yaml", show_default=True,
              help="yaml: a draft place list (one article); jsonl: one JSON object per mention (any number).")  # fmt: skip
@click.option("--title", help="Map title (default: the article's first line).")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it exists.")
def command(
    articles: tuple[Path, ...], output: Path | None, date: dt.date | None, format_: str, title: str | None, force: bool
) -> None:
    """Find the places ARTICLES (plain text) mention and write a draft place list.

    Place names, "the village of X", "X district", demonyms, "2 km north of the
    city", "a 55-kilometer zone" and weekday names are turned into entries; entries
    to check are marked UNVERIFIED, CHECK or TODO in comments, and every entry's
    comment lists its mentions: sentence number (from 1, as in the JSON lines) and
    character offsets (from 0, as Python slices the text).

    \b
    Examples:
        geo extract article.txt --date 2017-06-07 -o places.yaml
        geo extract news/*.txt --format jsonl > mentions.jsonl
    """
    from geo import api
    from geo.extract.draft import jsonl, listed_places
    from geo.extract.text import read_article

    if format_ == "yaml" and len(articles) > 1:
        raise ExtractError(f"{len(articles)} articles given: a place list is for one article; use --format jsonl")
    if output is not None and output.exists() and not force:
        raise OutputError(f"{output} exists; add --force to overwrite it, or choose another path with -o")
    chunks: list[str] = []
    for path in articles:
        text = read_article(path)  # read before the extractor opens: a bad file fails at once
        story = api.extract(text, date, title=title, source=str(path))
        result = story.extraction
        assert result is not None
        if not result.places:
            why = "the article is empty" if not text.strip() else "no place found"
            click.echo(f"geo: {path}: {why}; the draft's place list is empty", err=True)
        if format_ == "jsonl":
            chunk = jsonl(result, str(path))
            if output is None:
                sys.stdout.write(chunk)
            else:
                chunks.append(chunk)
        else:
            chunks.append(story.to_yaml())
            if result.places:
                click.echo(_summary(path, result, len(listed_places(result))), err=True)
    if output is not None:
        write_atomic(output, "".join(chunks), elsewhere="choose another path with -o")
        click.echo(f"geo: wrote {output}", err=True)
    elif chunks:
        sys.stdout.write("".join(chunks))


def _summary(path: Path, result: Extraction, listed: int) -> str:
    from geo.extract.core import LOW_CONFIDENCE

    low = sum(p.confidence < LOW_CONFIDENCE for p in result.places)
    line = f"geo: {path}: {len(result.places)} places ({low} to check), {len(result.unresolved)} names not resolved"
    if listed < len(result.places):
        line += f"; the draft lists the {listed} with the most evidence"
    return line


