"""``geo corpus``: a news archive as one GeoParquet file of mentions, its map over time, its places per month."""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

import click

PROGRESS_EVERY_S = 5.0
"""Seconds between progress lines when stderr is not a terminal (a log, CI)."""


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2017-06-07") from None


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
    rate = (summary.articles - 0) / summary.seconds if summary.seconds else 0.0
    line = (f"geo: wrote {output}: {summary.articles:,} articles ({summary.failed:,} failed), {summary.mentions:,} mentions "
            f"({summary.placed:,} placed), {summary.seconds:.1f} s on {summary.workers} worker{'s' * (summary.workers != 1)}"
            f" ({rate:.0f} articles/s)")  # fmt: skip
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
                       f"{rate:.0f} articles/s", err=True)  # fmt: skip

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
