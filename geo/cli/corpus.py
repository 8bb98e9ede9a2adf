"""``geo corpus``: a news archive as one GeoParquet file of mentions, its map over time, its places per month."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import click

from geo.cli.options import iso_date

PROGRESS_EVERY_S = 5.0
"""Seconds between progress lines when stderr is not a terminal (a log, CI)."""


@click.group("corpus")
def command() -> None:
    """Many articles at once: extract their mentions on Dask, map them over time, count them per month.

    Needs geo's corpus extra (Dask and pyarrow): pip install -e ".[corpus]".

    \b
    Example:
        geo corpus extract news/ archive.jsonl -o mentions.parquet --workers 2
        geo corpus map mentions.parquet -o corpus.html --from 2017-01-01
        geo corpus stats mentions.parquet --csv > places-per-month.csv
    """


@command.command("extract")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The GeoParquet file to write, one row per mention.")  # fmt: skip
@click.option("--workers", type=click.IntRange(min=0), help="Local worker processes (default: one per core; 0: this process, no Dask).")
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Run on this Dask cluster instead of local processes.")
@click.option("--batch", type=click.IntRange(min=1), default=100, show_default=True, help="Articles per partition.")
@click.option("--force", is_flag=True, help="Overwrite OUTPUT if it was made from other articles.")
def extract(inputs: tuple[Path, ...], output: Path, workers: int | None, scheduler: str | None, batch: int, force: bool) -> None:
    """Extract the place mentions of every article of INPUTS into one GeoParquet file.

    INPUTS are plain-text articles (a YYYY-MM-DD in the file name is the article's
    date), folders of them (JSON lines files in them included), and JSON lines files
    (.jsonl, .ndjson) of objects with id, date, text, and title and url when known.
    The rows are the mentions `geo extract --format jsonl` writes, with the article's
    id, date, title and url, the sentence, and a point. An article that fails is
    named and skipped; a run that stops keeps its finished partitions in
    OUTPUT.parts/, and the next run with the same inputs goes on from them.

    \b
    Example:
        geo corpus extract news/ -o mentions.parquet --workers 2
        geo corpus extract archive.jsonl -o mentions.parquet --scheduler tcp://10.0.0.5:8786
    """
    from geo import corpus

    corpus.require_packages()
    show = _Progress()
    summary = corpus.extract(inputs, output, workers=workers, scheduler=scheduler, batch=batch, force=force,
                             progress=show.advance, warn=show.warn, total=show.start)  # fmt: skip
    show.close()
    if summary.up_to_date:
        click.echo(f"geo: {output} is up to date with these {summary.articles:,} articles; nothing to do (--force redoes it)", err=True)
        return
    rate = summary.extracted / summary.seconds if summary.seconds else 0.0
    line = (f"geo: wrote {output}: {summary.articles:,} articles ({summary.failed:,} failed), {summary.mentions:,} mentions "
            f"({summary.placed:,} placed), {summary.seconds:.1f} s on {summary.workers} worker{'s' * (summary.workers != 1)}"
            f" ({rate:,.{1 if rate < 10 else 0}f} articles/s)")  # fmt: skip
    if summary.reused:
        line += f"; {summary.reused} of {summary.parts} partitions from an earlier run"
    if summary.lost_parts:
        line += f"; {summary.lost_parts} partitions failed: run the same command again to retry them"
    click.echo(line, err=True)


class _Progress:
    """A bar on a terminal, else a `geo:` line every few seconds; failed articles as lines either way."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.done = 0
        self.total = 0
        self.bar: click.progressbar | None = None
        self.started = self.last = time.monotonic()

    def start(self, total: int) -> None:
        self.total = total
        if self.tty:
            self.bar = click.progressbar(length=total, label="geo corpus extract", file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        else:
            click.echo(f"geo: {total:,} articles to extract", err=True)

    def advance(self, articles: int) -> None:
        self.done += articles
        if self.bar is not None:
            self.bar.update(articles)
            return
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY_S:
            self.last = now
            rate = self.done / (now - self.started)
            click.echo(f"geo: {self.done:,}/{self.total:,} articles ({100 * self.done / max(1, self.total):.0f}%), "
                       f"{rate:,.{1 if rate < 10 else 0}f} articles/s", err=True)  # fmt: skip

    def warn(self, line: str) -> None:
        from geo.cli import one_line

        message = f"geo: {one_line(line)}; skipped"
        if self.bar is not None:
            click.echo("", err=True)
        click.echo(message, err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@command.command("stats")
@click.argument("mentions", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--top", type=click.IntRange(min=1), default=10, show_default=True, help="Places listed per month.")
@click.option("--csv", "as_csv", is_flag=True, help="Write CSV instead of a table.")
def stats(mentions: Path, top: int, as_csv: bool) -> None:
    """The most mentioned places of each month, from a mentions file of `geo corpus extract`.

    A place counts each time an article names it (demonyms such as "Syrian" are
    left out); `articles` is how many articles name it that month. Articles
    without a date are the month "undated".

    \b
    Example:
        geo corpus stats mentions.parquet --top 5
        geo corpus stats mentions.parquet --csv > places-per-month.csv
    """
    import csv

    from geo import corpus

    rows = corpus.stats(mentions, top)
    header = ["month", "rank", "place", "ref", "mentions", "articles"]
    if as_csv:
        writer = csv.DictWriter(sys.stdout, header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return
    from geo.cli import one_line

    cells = [header] + [[one_line(str(row[h])) for h in header] for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    right = {"rank", "mentions", "articles"}
    for line in cells:
        click.echo("  ".join(c.rjust(w) if h in right else c.ljust(w) for c, w, h in zip(line, widths, header, strict=True)).rstrip())


@command.command("map")
@click.argument("mentions", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=Path("corpus.html"),
              show_default=True, help="The page to write.")  # fmt: skip
@click.option("--from", "since", callback=iso_date, metavar="YYYY-MM-DD", help="Leave out articles dated before this day.")
@click.option("--to", "until", callback=iso_date, metavar="YYYY-MM-DD", help="Leave out articles dated after this day.")
@click.option("--title", help="The page's title (default: how many places and articles, and the file).")
def map_page(mentions: Path, output: Path, since: dt.date | None, until: dt.date | None, title: str | None) -> None:
    """Write a page that maps the places of a mentions file over time.

    Each place is a circle sized by how many articles name it; a slider walks
    the articles' dates (with a window: up to the date, 30 or 7 days, the day),
    and a place's popup lists its articles with title, date and the sentence.
    The page carries Leaflet and an offline basemap: it works from a file with
    no network. With --from or --to, undated articles are left out.

    \b
    Example:
        geo corpus map mentions.parquet -o corpus.html --from 2017-01-01 --to 2017-12-31
    """
    from geo import corpus
    from geo.output import write_atomic

    if since and until and since > until:
        raise corpus.CorpusError(f"--from {since} is after --to {until}; give the earlier day to --from")
    page = corpus.map_html(mentions, since, until, title)
    write_atomic(output, page, elsewhere="choose another path with -o")
    click.echo(f"geo: wrote {output} ({len(page) / 1e6:.1f} MB)", err=True)
