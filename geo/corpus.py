"""A news archive as one GeoParquet file of place mentions, extracted on Dask; its map over time and its stats.

:func:`extract` runs ``geo extract``'s rules and resolver over many articles: text
files, folders of them, and JSON lines files (``id``, ``date``, ``text``, and
``title``, ``url`` when present). The articles are cut into partitions of at most
``batch`` articles (and :data:`MAX_PART_BYTES`), in the order the inputs list them.
This process reads a partition, a Dask worker extracts it, and this process writes
its mentions to ``OUTPUT.parts/part-NNNNNN.parquet`` as soon as it comes back; only
a few partitions are in flight at once, so memory does not grow with the archive.
Each part file records a digest of what it was made from (the files' sizes and
times, the byte range, geo's version, the gazetteer index); a run that stops leaves
its finished parts, and the next run with the same inputs skips them. When every
partition is done, the parts are joined, in partition order, into OUTPUT (written
beside it and renamed over it) and the parts folder is removed. Each partition's
result depends only on its articles, so the file does not depend on the number of
workers.

The rows are :func:`geo.extract.draft.mention_rows`, the objects ``geo extract
--format jsonl`` writes, with the article's date, title and url, the sentence of the
mention (``quote``) and a WKB point (GeoParquet 1.1 ``geo`` metadata; no ``crs``
key means OGC:CRS84, longitude then latitude).

Dask and pyarrow come with geo's ``corpus`` extra; they are imported here only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo import __version__
from geo.api import OptionalPackageError
from geo.errors import ArticleError, GeoError, OutputError

if TYPE_CHECKING:
    import pyarrow as pa

BATCH = 100
"""Articles per partition: enough to keep a worker busy between hand-overs, few enough to hold many in flight."""
MAX_PART_BYTES = 8_000_000
"""A partition is closed early when its texts reach this size: memory per task stays bounded."""
PARTS_IN_FLIGHT_PER_WORKER = 2
"""Partitions read and handed to the cluster ahead of the results, per worker: workers never wait, memory is bounded."""
FEW_LOGS = {"distributed.admin.low-level-log-length": 8, "distributed.diagnostics.computations.max-history": 8}
"""Dask keeps its last 1,000 messages and 100 computations to debug with, each holding a partition's articles:
hundreds of MB in this process. A few will do."""
FORMAT = 1
"""The part files' format; a change makes earlier parts stale."""
QUOTE_CHARS = 300
JSONL_SUFFIXES = (".jsonl", ".ndjson")
METADATA_KEY = b"geo:corpus"
INSTALL = 'pip install -e ".[corpus]"'

_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


class CorpusError(GeoError):
    """An archive, a mentions file or an option that geo corpus cannot use: which, why, and the fix."""


def require_packages() -> None:
    """The one-line error naming the extra when dask or pyarrow is missing."""
    import importlib.util

    missing = [name for name in ("dask", "distributed", "pyarrow") if importlib.util.find_spec(name) is None]
    if missing:
        raise OptionalPackageError(f"geo corpus needs {', '.join(missing)}, from geo's corpus extra: {INSTALL}")


# --- The plan: inputs to partitions ---------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """Articles of one input file: a whole text file, or lines [first_line, ...) at bytes [start, end) of a JSON lines file."""

    path: str
    jsonl: bool
    start: int = 0
    end: int = 0
    first_line: int = 1
    count: int = 1


@dataclass
class Partition:
    index: int
    pieces: list[Piece] = field(default_factory=list)
    articles: int = 0
    size: int = 0
    key: str = ""


def plan(inputs: Iterable[Path | str], batch: int = BATCH) -> list[Partition]:
    """The partitions of the articles of ``inputs``, each keyed by a digest of what it reads.

    Only file sizes and line ends are read here: the texts are read partition by partition.
    """
    from geo.gazetteer.index import signature

    common = f"{FORMAT}|{__version__}|{signature()}"
    parts: list[Partition] = [Partition(0)]
    stamps: dict[str, str] = {}

    def add(piece: Piece, size: int) -> None:
        last = parts[-1]
        if last.articles and (last.articles + piece.count > batch or last.size + size > MAX_PART_BYTES):
            last = Partition(len(parts))
            parts.append(last)
        last.pieces.append(piece)
        last.articles += piece.count
        last.size += size

    for path in _files(inputs):
        stat = path.stat()
        stamps[str(path)] = f"{stat.st_size}:{stat.st_mtime_ns}"
        if path.suffix.lower() in JSONL_SUFFIXES:
            for start, end, line in _lines(path):
                add(Piece(str(path), True, start, end, line), end - start)
        else:
            add(Piece(str(path), False), stat.st_size)
    if not parts[-1].pieces:
        parts.pop()
    for part in parts:
        described = [common] + [f"{p.path}|{stamps[p.path]}|{p.jsonl}|{p.start}|{p.end}|{p.first_line}" for p in part.pieces]
        part.key = hashlib.sha256("\n".join(described).encode()).hexdigest()[:32]
        part.pieces = _joined(part.pieces)
    return parts


def _files(inputs: Iterable[Path | str]) -> Iterator[Path]:
    """Each input file; a folder's files (hidden ones excepted), recursively, in sorted order."""
    for item in map(Path, inputs):
        if item.is_dir():
            found = sorted(p for p in item.rglob("*") if p.is_file() and not any(s.startswith(".") for s in p.relative_to(item).parts))
            if not found:
                raise CorpusError(f"{item}: the folder holds no file; give folders of articles (.txt) or JSON lines files")
            yield from found
        elif item.is_file():
            yield item
        else:
            raise CorpusError(f"{item}: no such file or folder; give text files, folders of them or JSON lines files")


def _lines(path: Path) -> Iterator[tuple[int, int, int]]:
    """(start, end, line number) of each line that is not blank, read in blocks: a huge line is never held."""
    with path.open("rb") as handle:
        offset, start, number, blank = 0, 0, 1, True
        while block := handle.read(1 << 20):
            at = 0
            while (end := block.find(b"\n", at)) >= 0:
                blank = blank and not block[at:end].strip()
                if not blank:
                    yield start, offset + end + 1, number
                start, number, blank, at = offset + end + 1, number + 1, True, end + 1
            blank = blank and not block[at:].strip()
            offset += len(block)
        if offset > start and not blank:
            yield start, offset, number


def _joined(pieces: list[Piece]) -> list[Piece]:
    """Consecutive lines of one JSON lines file as one piece: one read of the byte range."""
    out: list[Piece] = []
    for piece in pieces:
        last = out[-1] if out else None
        if last is not None and piece.jsonl and last.jsonl and last.path == piece.path and last.end == piece.start:
            out[-1] = Piece(last.path, True, last.start, piece.end, last.first_line, last.count + 1)
        else:
            out.append(piece)
    return out


# --- Reading articles ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    url: str | None = None


Failure = tuple[str, str]
"""(article id, why it failed, in one line)."""


def read_partition(part: Partition) -> tuple[list[Article], list[Failure]]:
    """The articles of a partition, and those that cannot be read (binary, too large, not a JSON object)."""
    from geo.extract.text import read_article

    articles: list[Article] = []
    failures: list[Failure] = []
    for piece in part.pieces:
        if not piece.jsonl:
            try:
                text = read_article(Path(piece.path))
            except ArticleError as exc:
                failures.append((piece.path, str(exc)))
                continue
            found = _DATE_IN_NAME.search(Path(piece.path).name)
            articles.append(Article(piece.path, text, _date(found.group(1)) if found else None))
            continue
        for line, number in _piece_lines(piece):
            read = _json_article(line, piece.path, number)
            (failures if isinstance(read, tuple) else articles).append(read)
    return articles, failures


def _piece_lines(piece: Piece) -> Iterator[tuple[bytes | None, int]]:
    """Each line of the piece and its number; None for a line too long to be an article, skipped without holding it."""
    from geo.extract.text import MAX_ARTICLE_BYTES

    with open(piece.path, "rb") as handle:
        handle.seek(piece.start)
        for number in range(piece.first_line, piece.first_line + piece.count):
            line = handle.readline(MAX_ARTICLE_BYTES + 1)
            if len(line) > MAX_ARTICLE_BYTES and not line.endswith(b"\n"):
                while (more := handle.readline(1 << 20)) and not more.endswith(b"\n"):
                    pass
                yield None, number
            else:
                yield line, number


def _json_article(line: bytes | None, path: str, number: int) -> Article | Failure:
    from geo.extract.text import MAX_ARTICLE_BYTES

    where = f"{path}:{number}"
    if line is None:
        return where, f"{where}: longer than {MAX_ARTICLE_BYTES / 1e6:g} MB, the most an article may have; split it"
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, ValueError) as exc:
        return where, f"{where}: not a JSON object ({str(exc).split(':')[0]}); write one object per line with id, date and text"
    if not isinstance(record, dict):
        return where, f"{where}: not a JSON object; write one object per line with id, date and text"
    ident = record.get("id")
    article = str(ident) if isinstance(ident, (str, int)) and not isinstance(ident, bool) else where
    text = record.get("text")
    if not isinstance(text, str):
        return article, f"{where}: article {article!r} has no \"text\" string; give its text as \"text\""
    date = record.get("date")
    when = _date(date[:10]) if isinstance(date, str) else None
    if date not in (None, "") and when is None:
        return article, f"{where}: article {article!r}: date {date!r} is not a date; write it as YYYY-MM-DD, e.g. 2017-06-07"
    title, url = record.get("title"), record.get("url")
    return Article(_unpaired(article), _unpaired(text), when, _unpaired(title) if isinstance(title, str) else None,
                   _unpaired(url) if isinstance(url, str) else None)  # fmt: skip


_SURROGATE = re.compile("[\ud800-\udfff]")


def _unpaired(text: str) -> str:
    """``text`` with each lone surrogate (JSON may escape one, UTF-8 cannot hold it) as U+FFFD: offsets stay as they are."""
    return _SURROGATE.sub("\ufffd", text)


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


# --- Extracting (on a worker) --------------------------------------------------------------------


def schema() -> pa.Schema:
    """One row per mention: the objects of ``geo extract --format jsonl`` (``file`` as ``article``) and the article's data."""
    import pyarrow as pa

    return pa.schema([
        ("article", pa.string()), ("date", pa.date32()), ("title", pa.string()), ("url", pa.string()),
        ("start", pa.int64()), ("end", pa.int64()), ("text", pa.string()), ("name", pa.string()),
        ("ref", pa.string()), ("kind", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
        ("confidence", pa.float64()), ("score", pa.float64()), ("demonym", pa.bool_()), ("sentence", pa.int64()),
        ("resolved", pa.bool_()), ("quote", pa.string()), ("geometry", pa.binary()),
    ])  # fmt: skip


def extract_articles(articles: list[Article]) -> tuple[pa.Table, list[Failure]]:
    """The mention rows of ``articles``, and the articles that failed: one bad article does not stop the others.

    Runs on a Dask worker; the extractor (and its gazetteer) is made once per process.
    """
    from geo import api
    from geo.extract.draft import _title, mention_rows

    rows: list[dict[str, Any]] = []
    failures: list[Failure] = []
    for article in articles:
        try:
            extraction = api.extract(article.text, article.date).extraction
            assert extraction is not None
            found = mention_rows(extraction, article.id)
        except Exception as exc:  # noqa: BLE001 - a bug on one article must not cost the archive
            why = str(exc) if isinstance(exc, GeoError) else f"{type(exc).__name__}: {exc} (a bug in geo; please report it)"
            failures.append((article.id, f"{article.id}: {why}"))
            continue
        title = article.title if article.title is not None else (_title(article.text, "") or None)
        for row in found:
            row["article"] = row.pop("file")
            row.update(date=article.date, title=title, url=article.url, quote=_quote(extraction.sentences[row["sentence"] - 1].text))
        rows.extend(found)
    return _table(rows), failures


def _quote(sentence: str) -> str:
    text = " ".join(sentence[: QUOTE_CHARS * 4].split())
    return text if len(text) <= QUOTE_CHARS else text[: QUOTE_CHARS - 1] + "…"


def _table(rows: list[dict[str, Any]]) -> pa.Table:
    import pyarrow as pa
    import shapely

    if not rows:
        return schema().empty_table()
    placed = [row["lat"] is not None for row in rows]
    points = shapely.points([(row["lon"], row["lat"]) if ok else (0.0, 0.0) for row, ok in zip(rows, placed, strict=True)])
    wkb = shapely.to_wkb(points, output_dimension=2, byte_order=1)
    columns = {name: [row[name] for row in rows] for name in schema().names if name != "geometry"}
    columns["geometry"] = [bytes(w) if ok else None for w, ok in zip(wkb, placed, strict=True)]
    return pa.table(columns, schema=schema())


# --- Running: in this process, or on Dask -----------------------------------------------------------


Runner = Callable[[Iterator[tuple[Partition, list[Article], list[Failure]]]], Iterator[tuple[Partition, Any, list[Failure]]]]


def in_process(work: Iterator[tuple[Partition, list[Article], list[Failure]]]) -> Iterator[tuple[Partition, Any, list[Failure]]]:
    """Each partition extracted here, one after the other (``workers=0``): no Dask."""
    for part, articles, unread in work:
        table, failures = extract_articles(articles)
        yield part, table, unread + failures


@contextmanager
def dask_runner(workers: int | None, scheduler: str | None) -> Iterator[tuple[Runner, int]]:
    """A runner on a LocalCluster of ``workers`` processes, or on the cluster at ``scheduler``; and its worker count."""
    import logging

    import dask
    from distributed import Client, LocalCluster

    cluster = None
    with dask.config.set(FEW_LOGS):
        try:
            if scheduler:
                try:
                    client = Client(scheduler, timeout="5s")
                except (OSError, TimeoutError) as exc:
                    raise CorpusError(f"cannot reach the Dask scheduler at {scheduler} ({exc}); start one with `dask scheduler` "
                                      "and workers with `dask worker ADDRESS`, or drop --scheduler") from None  # fmt: skip
                client.wait_for_workers(1, timeout=60)
            else:
                cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                       dashboard_address=None, silence_logs=logging.ERROR)  # fmt: skip
                client = Client(cluster)
        except TimeoutError:
            raise CorpusError(f"the Dask scheduler at {scheduler} has no worker after 60 s; start one with `dask worker {scheduler}`") from None
    try:
        count = len(client.scheduler_info(n_workers=-1)["workers"]) if scheduler else workers or os.cpu_count() or 1
        yield (lambda work: _on_dask(client, work, count)), count
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _on_dask(client: Any, work: Iterator[tuple[Partition, list[Article], list[Failure]]],
             workers: int) -> Iterator[tuple[Partition, Any, list[Failure]]]:  # fmt: skip
    """Partitions handed to the cluster a few at a time, their results yielded as they come back."""
    from distributed import as_completed

    flight = as_completed()
    waiting: dict[str, tuple[Partition, list[Failure]]] = {}

    def submit() -> bool:
        item = next(work, None)
        if item is None:
            return False
        part, articles, unread = item
        future = client.submit(extract_articles, articles, key=f"geo-corpus-{part.key}-{part.index}", pure=False, retries=1)
        waiting[future.key] = (part, unread)
        flight.add(future)
        return True

    for _ in range(PARTS_IN_FLIGHT_PER_WORKER * max(1, workers)):
        if not submit():
            break
    for future in flight:
        part, unread = waiting.pop(future.key)
        try:
            table, failures = future.result()
        except Exception as exc:  # noqa: BLE001 - the worker died on it (memory, a crash); the next run retries it
            why = (f"part {part.index} ({part.articles} articles from {part.pieces[0].path}): a worker failed on it "
                   f"({type(exc).__name__}: {exc}); run again to retry it")  # fmt: skip
            yield part, None, [(f"part {part.index}", why)]
        else:
            yield part, table, unread + failures
        future.release()
        submit()


# --- Writing: parts, then the GeoParquet file ------------------------------------------------------


@dataclass
class Summary:
    articles: int = 0
    failed: int = 0
    mentions: int = 0
    placed: int = 0
    extracted: int = 0
    """Articles this run read and extracted (the others came from finished partitions)."""
    parts: int = 0
    reused: int = 0
    lost_parts: int = 0
    workers: int = 0
    seconds: float = 0.0
    up_to_date: bool = False
    failures: list[Failure] = field(default_factory=list)


def extract(inputs: Iterable[Path | str], output: Path | str, *, workers: int | None = None, scheduler: str | None = None,
            batch: int = BATCH, force: bool = False, progress: Callable[[int], None] = lambda articles: None,
            warn: Callable[[str], None] = lambda message: None, total: Callable[[int], None] = lambda articles: None) -> Summary:  # fmt: skip
    """Extract the mentions of every article of ``inputs`` into the GeoParquet file ``output``.

    ``workers``: processes of a local Dask cluster (0: this process alone, no Dask);
    ``scheduler``: the address of a running cluster instead. ``progress`` is called with
    each partition's article count as it is done, ``warn`` with each failed article's
    line, ``total`` once with the number of articles to do.
    """
    require_packages()
    from geo.output import writable_target

    started = time.monotonic()
    output = Path(output)
    if batch < 1:
        raise CorpusError(f"--batch {batch}: a partition holds at least one article")
    parts = plan(inputs, batch)
    digest = hashlib.sha256("".join(p.key for p in parts).encode()).hexdigest()[:32]
    target = writable_target(output, "choose another path with -o")
    earlier = _corpus_metadata(target) if target.exists() else None
    if not force and earlier is not None and earlier.get("inputs") == digest and earlier.get("complete"):
        return Summary(articles=earlier["articles"], failed=earlier["failed"], mentions=earlier["mentions"], placed=earlier["placed"],
                       parts=len(parts), reused=len(parts), seconds=time.monotonic() - started, up_to_date=True)  # fmt: skip
    if target.exists() and not force and (earlier is None or earlier.get("inputs") != digest):
        raise OutputError(f"{output} exists and was not made from these articles; add --force to overwrite it, "
                          "or choose another path with -o")  # fmt: skip
    folder = target.with_name(target.name + ".parts")
    folder.mkdir(parents=True, exist_ok=True)
    summary = Summary(parts=len(parts))
    done = {p.index for p in parts if _part_key(_part_path(folder, p)) == p.key}
    summary.reused = len(done)
    total(sum(p.articles for p in parts if p.index not in done))
    todo = (p for p in parts if p.index not in done)
    work = ((p, *read_partition(p)) for p in todo)

    def finish(run: Runner) -> None:
        for part, table, failures in run(work):
            for _, line in failures:
                warn(line)
            if table is None:
                summary.lost_parts += 1
            else:
                _write_part(_part_path(folder, part), part, table, failures)
            summary.extracted += part.articles
            progress(part.articles)

    if workers == 0 and not scheduler:
        summary.workers = 1
        finish(in_process)
    else:
        from geo.gazetteer.index import ensure_index, index_path

        if not scheduler:
            ensure_index(index_path())  # once here, not once per worker
        with dask_runner(workers, scheduler) as (run, count):
            summary.workers = count
            finish(run)
    _combine(folder, parts, target, digest, summary)
    if not summary.lost_parts:
        shutil.rmtree(folder, ignore_errors=True)
    summary.seconds = time.monotonic() - started
    return summary


def _part_path(folder: Path, part: Partition) -> Path:
    return folder / f"part-{part.index:06d}.parquet"


def _part_key(path: Path) -> str | None:
    """The digest a part file was made from; None if there is none or it cannot be read (a torn write)."""
    found = _corpus_metadata(path)
    return found.get("key") if found else None


def _write_part(path: Path, part: Partition, table: pa.Table, failures: list[Failure]) -> None:
    import pyarrow.parquet as pq

    placed = sum(table.column("resolved").to_pylist())
    record = {"key": part.key, "articles": part.articles, "failures": failures, "mentions": table.num_rows, "placed": placed}
    table = table.replace_schema_metadata({METADATA_KEY: json.dumps(record)})
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _corpus_metadata(path: Path) -> dict[str, Any] | None:
    """What geo recorded in a part or mentions file's metadata; None if it has none or cannot be read."""
    import pyarrow.parquet as pq

    try:
        found = (pq.ParquetFile(path).metadata.metadata or {}).get(METADATA_KEY)
    except (OSError, ValueError):
        return None
    return json.loads(found) if found else None


ROW_GROUP = 16_384
"""Rows per row group of the mentions file: what joining the parts holds at once."""


def _combine(folder: Path, parts: list[Partition], target: Path, digest: str, summary: Summary) -> None:
    """The part files, in partition order, as one GeoParquet file, written beside ``target`` and renamed over it."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    present = [path for p in parts if (path := _part_path(folder, p)).exists()]
    bbox = [180.0, 90.0, -180.0, -90.0]
    for path in present:  # the file's metadata comes first: counts and box from the parts' metadata and statistics
        record = _corpus_metadata(path) or {}
        summary.articles += record["articles"]
        summary.failed += len(record["failures"])
        summary.failures += [tuple(f) for f in record["failures"]]
        summary.mentions += record["mentions"]
        summary.placed += record["placed"]
        meta = pq.ParquetFile(path).metadata
        columns = {meta.schema.column(i).name: i for i in range(meta.num_columns)}
        for group in range(meta.num_row_groups):
            lon, lat = (meta.row_group(group).column(columns[name]).statistics for name in ("lon", "lat"))
            if lon is not None and lon.has_min_max and lat is not None and lat.has_min_max:
                bbox = [min(bbox[0], lon.min), min(bbox[1], lat.min), max(bbox[2], lon.max), max(bbox[3], lat.max)]
    column: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"]}
    if bbox[0] <= bbox[2]:
        column["bbox"] = bbox
    geo = {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}
    corpus = {"inputs": digest, "complete": not summary.lost_parts, "articles": summary.articles, "failed": summary.failed,
              "mentions": summary.mentions, "placed": summary.placed, "geo_version": __version__}  # fmt: skip
    full = schema().with_metadata({"geo": json.dumps(geo), METADATA_KEY.decode(): json.dumps(corpus)})
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        pending: list[pa.Table] = []
        with pq.ParquetWriter(tmp, full) as writer:
            for path in present:
                pending.append(pq.read_table(path).replace_schema_metadata(full.metadata))
                if sum(t.num_rows for t in pending) >= ROW_GROUP:
                    writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP)
                    pending = []
            if pending:
                writer.write_table(pa.concat_tables(pending), row_group_size=ROW_GROUP)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- Reading a mentions file: stats and the map ------------------------------------------------------


def read_mentions(path: Path | str, columns: list[str]) -> pa.Table:
    """The ``columns`` of a mentions file; a file geo corpus extract did not write is a one-line error."""
    require_packages()
    import pyarrow.parquet as pq

    path = Path(path)
    if not path.is_file():
        raise CorpusError(f"{path}: no such file; make a mentions file with `geo corpus extract ARTICLES -o {path}`")
    try:
        file = pq.ParquetFile(path)
    except (OSError, ValueError) as exc:
        raise CorpusError(f"{path}: not a Parquet file ({exc}); give the file `geo corpus extract` wrote") from None
    missing = [name for name in columns if name not in file.schema_arrow.names]
    if missing:
        raise CorpusError(f"{path}: no column {missing[0]!r}, so not a mentions file of `geo corpus extract`; make one with it")
    return file.read(columns=columns)


def _place_mentions(path: Path | str, columns: list[str], since: dt.date | None = None, until: dt.date | None = None) -> pa.Table:
    """The mentions of placed places (demonyms left out: "Syrian" is not a place named), between two dates."""
    import pyarrow.compute as pc

    table = read_mentions(path, sorted({"resolved", "demonym", "date", *columns}))
    keep = pc.and_(table.column("resolved"), pc.invert(table.column("demonym")))
    if since is not None:
        keep = pc.and_(keep, pc.greater_equal(table.column("date"), since))
    if until is not None:
        keep = pc.and_(keep, pc.less_equal(table.column("date"), until))
    return table.filter(pc.fill_null(keep, False))


def stats(path: Path | str, top: int = 10) -> list[dict[str, Any]]:
    """The ``top`` most mentioned places of each month (undated articles as month "undated"), with their article counts."""
    import pyarrow.compute as pc

    table = _place_mentions(path, ["article", "date", "name", "ref"])
    months = pc.fill_null(pc.strftime(pc.cast(table.column("date"), "timestamp[s]"), "%Y-%m"), "undated")
    table = table.append_column("month", months)
    counts = table.group_by(["month", "ref"]).aggregate([("article", "count"), ("article", "count_distinct")])
    names = _usual_names(table)
    by_month: dict[str, list[dict[str, Any]]] = {}
    for row in counts.to_pylist():
        by_month.setdefault(row["month"], []).append({"month": row["month"], "place": names[row["ref"]], "ref": row["ref"],
                                                      "mentions": row["article_count"], "articles": row["article_count_distinct"]})  # fmt: skip
    out = []
    for month in sorted(by_month, key=lambda m: (m == "undated", m)):
        ranked = sorted(by_month[month], key=lambda r: (-r["mentions"], -r["articles"], r["place"], r["ref"]))[:top]
        out += [{"month": r["month"], "rank": rank, **{k: r[k] for k in ("place", "ref", "mentions", "articles")}}
                for rank, r in enumerate(ranked, 1)]  # fmt: skip
    return out


def _usual_names(table: pa.Table) -> dict[str, str]:
    """Each reference's most written name ("Raqqa" over "Al-Raqqa"), ties to the first in alphabetical order."""
    spelled = table.group_by(["ref", "name"]).aggregate([("name", "count")]).to_pylist()
    best: dict[str, tuple[int, str]] = {}
    for row in spelled:
        key = (-row["name_count"], row["name"])
        if row["ref"] not in best or key < best[row["ref"]]:
            best[row["ref"]] = key
    return {ref: name for ref, (_, name) in best.items()}


MAP_COLUMNS = ["article", "date", "title", "url", "name", "ref", "lat", "lon", "kind", "quote"]


def map_data(path: Path | str, since: dt.date | None = None, until: dt.date | None = None) -> dict[str, Any]:
    """What the corpus page draws, as plain JSON values.

    ``articles``: [id, title, date ("" when undated), url] each; ``places``: [name, lat,
    lon, kind, ref, [article index, ...], [quote index, ...]] each, one article once
    (with the sentence of its first mention), earliest article first; ``quotes``: the
    sentences, each once.
    """
    table = _place_mentions(path, MAP_COLUMNS, since, until)
    names = _usual_names(table)
    articles: dict[str, int] = {}
    article_rows: list[list[Any]] = []
    quotes: dict[str, int] = {}
    places: dict[str, list[Any]] = {}
    seen: set[tuple[str, int]] = set()
    for row in table.to_pylist():
        index = articles.get(row["article"])
        if index is None:
            index = articles[row["article"]] = len(article_rows)
            when = row["date"].isoformat() if row["date"] else ""
            article_rows.append([row["article"], row["title"] or "", when, row["url"] or ""])
        place = places.get(row["ref"])
        if place is None:
            place = places[row["ref"]] = [names[row["ref"]], row["lat"], row["lon"], row["kind"], row["ref"], [], []]
        if (row["ref"], index) in seen:
            continue
        seen.add((row["ref"], index))
        place[5].append(index)
        place[6].append(quotes.setdefault(row["quote"], len(quotes)))
    by_date = [row[2] or "9999" for row in article_rows]
    for place in places.values():
        order = sorted(range(len(place[5])), key=lambda i: (by_date[place[5][i]], place[5][i]))
        place[5], place[6] = [place[5][i] for i in order], [place[6][i] for i in order]
    return {"articles": article_rows, "places": list(places.values()), "quotes": list(quotes),
            "from": since.isoformat() if since else "", "to": until.isoformat() if until else ""}  # fmt: skip


def map_html(path: Path | str, since: dt.date | None = None, until: dt.date | None = None, title: str | None = None) -> str:
    """The corpus page: Leaflet, the offline world basemap, the data and its script in one file that needs no network.

    Every name, title and sentence is JSON inside a ``<script type="application/json">``
    element, read with ``JSON.parse`` and put on the page as text nodes, never as markup.
    """
    import html

    from geo import basemap, webmap

    data = map_data(path, since, until)
    data["title"] = title or _map_title(Path(path), data)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1.0">\n'
        f"<title>{html.escape(data['title'])}</title>\n"
        f"<style>{webmap.leaflet_css()}</style>\n<style>{_static('corpus.css')}</style>\n"
        f"<script>{webmap.leaflet_js()}</script>\n</head>\n<body>\n"
        '<div id="corpus-map" class="corpus-map" role="region" aria-label="Map of the places the articles name"></div>\n'
        f'<script type="application/json" id="corpus-data">{webmap.script_json(data)}</script>\n'
        f'<script type="application/json" id="corpus-world">{basemap.world_json()}</script>\n'
        f"<script>{_static('corpus.js')}</script>\n</body>\n</html>\n"
    )


def _map_title(path: Path, data: dict[str, Any]) -> str:
    span = " to ".join(x for x in (data["from"], data["to"]) if x)
    return f"{len(data['places']):,} places in {len(data['articles']):,} articles ({path.name}{', ' + span if span else ''})"


def _static(name: str) -> str:
    from geo.webmap import STATIC

    text = (STATIC / name).read_text(encoding="utf-8")
    if "</" in text:
        raise ValueError(f"geo/static/{name} holds '</', which would end its element in the page early")
    return text
