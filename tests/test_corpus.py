"""geo corpus extract: LGL news as text files and JSON lines, on a local Dask cluster, a real scheduler, or no Dask."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from gazetteer_fixture import use_test_index

from geo import corpus
from geo.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" if (ROOT.parent / "shared").exists() else Path("/work/shared")
LGL = SHARED / "corpora" / "lgl.xml"
RAQQA = SHARED / "articles" / "raqqa-2017-06-07.txt"
JSONL_KEYS = ("start", "end", "text", "name", "lat", "lon", "kind", "score", "ref", "confidence", "demonym", "sentence", "resolved")

pytestmark = pytest.mark.skipif(not LGL.exists(), reason="the shared LGL corpus is not here")


def lgl_articles(count: int) -> list[dict[str, str]]:
    """The first ``count`` LGL articles as JSON lines records: real news with ids, dates, titles and urls."""
    out = []
    for article in ET.parse(LGL).getroot().iter("article"):
        out.append({"id": article.get("docid") or "", "date": (article.findtext("dltime") or "")[:10],
                    "title": article.findtext("title") or "", "url": article.findtext("url") or "",
                    "text": article.findtext("text") or ""})  # fmt: skip
        if len(out) == count:
            break
    return out


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of five dated LGL articles and the Raqqa article as text files, and 25 more LGL articles as JSON lines."""
    use_test_index()  # GEO_CACHE_DIR for this process and the workers it starts
    folder = tmp_path_factory.mktemp("archive")
    news = folder / "news"
    news.mkdir()
    articles = lgl_articles(30)
    for record in articles[:5]:
        (news / f"{record['date']}-{record['id']}.txt").write_text(record["text"], encoding="utf-8")
    (news / RAQQA.name).write_text(RAQQA.read_text(encoding="utf-8"), encoding="utf-8")
    with (folder / "wire.jsonl").open("w", encoding="utf-8") as handle:
        for record in articles[5:]:
            handle.write(json.dumps(record) + "\n")
    return folder


def extract(*args: str) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["corpus", "extract", *args])
    return done.exit_code, done.output


def rows(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist()


@pytest.fixture(scope="module")
def alone(archive: Path) -> Path:
    """The archive extracted in this process, without Dask: the reference the cluster runs must equal."""
    out = archive / "alone.parquet"
    code, output = extract(str(archive / "news"), str(archive / "wire.jsonl"), "-o", str(out), "--workers", "0", "--batch", "4")
    assert code == 0, output
    return out


def test_rows_equal_geo_extract_jsonl_mention_for_mention(archive: Path, alone: Path) -> None:
    files = sorted((archive / "news").iterdir())
    done = CliRunner().invoke(main, ["extract", *map(str, files), "--format", "jsonl"])
    assert done.exit_code == 0, done.output
    expected = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    got = [row for row in rows(alone) if row["article"].endswith(".txt")]
    assert len(expected) > 50
    assert [{"file": r["article"], **{k: r[k] for k in JSONL_KEYS}} for r in got] == expected
    raqqa = next(r for r in got if r["text"] == "Raqqa")
    assert str(raqqa["date"]) == "2017-06-07"  # the date in the file name
    assert "Raqqa" in raqqa["quote"]


def test_a_local_cluster_of_two_workers_gives_the_rows_of_one_process(archive: Path, alone: Path) -> None:
    out = archive / "cluster.parquet"
    code, output = extract(str(archive / "news"), str(archive / "wire.jsonl"), "-o", str(out), "--workers", "2", "--batch", "4")
    assert code == 0, output
    assert "on 2 workers" in output and "31 articles (0 failed)" in output
    assert rows(out) == rows(alone)
    assert {r["article"] for r in rows(out)} >= {a["id"] for a in lgl_articles(30)[5:] if "Alexandria" in a["text"]}


def test_the_file_is_geoparquet_with_points_and_article_data(alone: Path) -> None:
    from shapely import wkb

    file = pq.ParquetFile(alone)
    geo = json.loads(file.schema_arrow.metadata[b"geo"])
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    column = geo["columns"]["geometry"]
    assert column["encoding"] == "WKB" and column["geometry_types"] == ["Point"] and "crs" not in column  # OGC:CRS84
    table = file.read()
    placed = [r for r in table.to_pylist() if r["resolved"]]
    west, south, east, north = column["bbox"]
    for row in placed:
        point = wkb.loads(row["geometry"])
        assert (point.x, point.y) == (row["lon"], row["lat"])
        assert west <= point.x <= east and south <= point.y <= north
    assert all(r["geometry"] is None for r in table.to_pylist() if not r["resolved"])
    wire = next(r for r in placed if not r["article"].endswith(".txt"))
    record = next(a for a in lgl_articles(30) if a["id"] == wire["article"])
    assert (str(wire["date"]), wire["title"], wire["url"]) == (record["date"], record["title"], record["url"])
    assert record["text"][wire["start"]:wire["end"]] == wire["text"]
    assert file.schema_arrow.field("geometry").type == "binary"


def test_geopandas_reads_the_file(alone: Path) -> None:
    import geopandas

    frame = geopandas.read_parquet(alone)
    assert frame.crs == "OGC:CRS84" and frame.geometry.notna().sum() > 50
    placed = frame[frame.geometry.notna()]
    assert (placed.geometry.x == placed.lon).all() and (placed.geometry.y == placed.lat).all()


def test_broken_articles_are_named_and_the_run_goes_on(tmp_path: Path) -> None:
    use_test_index()
    news = tmp_path / "news"
    news.mkdir()
    (news / "binary.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    (news / "empty.txt").write_text("")
    with (news / "huge.txt").open("wb") as handle:  # one byte more than an article may have
        handle.truncate(64_000_001)
    (news / "ok.txt").write_text("Floods reached Dhaka on Monday, officials in Bangladesh said.\n")
    wire = tmp_path / "wire.jsonl"
    wire.write_text("\n".join([
        json.dumps({"id": "a1", "date": "2020-03-01", "text": "Protesters marched in Beirut."}),
        "{not json",
        json.dumps({"id": "a3", "date": "March 2020", "text": "Rain in Cairo."}),
        json.dumps({"id": "a4", "title": "no text"}),
        json.dumps({"id": "a5", "date": "2020-03-02T08:00:00Z", "text": "Talks opened in Geneva."}),
        json.dumps({"id": "a6", "text": "Storms hit Havana \ud800 overnight."}),  # a lone surrogate: no UTF-8 for it
    ]) + "\n", encoding="utf-8")  # fmt: skip
    out = tmp_path / "m.parquet"
    code, output = extract(str(news), str(wire), "-o", str(out), "--workers", "2", "--batch", "2")
    assert code == 0, output
    lines = output.splitlines()
    assert any(f"{news / 'binary.png'}:1: byte 1 of the line (0x89)" in line and "not UTF-8" in line for line in lines), output
    assert any(f"{news / 'huge.txt'}: larger than 64 MB" in line for line in lines), output
    assert any(f"{wire}:2: not a JSON object" in line for line in lines), output
    assert any(f"{wire}:3: article 'a3': date 'March 2020' is not a date" in line for line in lines), output
    assert any(f"{wire}:4: article 'a4' has no \"text\"" in line for line in lines), output
    assert "geo: wrote" in lines[-1] and "10 articles (5 failed)" in lines[-1], output
    found = {(r["article"], r["name"], str(r["date"])) for r in rows(out)}
    assert {(str(news / "ok.txt"), "Dhaka", "None"), ("a1", "Beirut", "2020-03-01"), ("a5", "Geneva", "2020-03-02"),
            ("a6", "Havana", "None")} <= found
    assert not (tmp_path / "m.parquet.parts").exists()


def test_a_stopped_run_goes_on_from_its_finished_partitions(archive: Path, alone: Path, tmp_path: Path) -> None:
    inputs = [archive / "news", archive / "wire.jsonl"]
    out = tmp_path / "m.parquet"
    done: list[int] = []

    def stop_after_two(articles: int) -> None:
        done.append(articles)
        if len(done) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        corpus.extract(inputs, out, workers=0, batch=4, progress=stop_after_two)
    assert not out.exists() and len(list((tmp_path / "m.parquet.parts").glob("part-*.parquet"))) == 2
    summary = corpus.extract(inputs, out, workers=0, batch=4)
    assert (summary.reused, summary.parts) == (2, 8)
    assert rows(out) == rows(alone)
    again = corpus.extract(inputs, out, workers=0, batch=4)
    assert again.up_to_date and again.articles == 31


def test_an_output_made_from_other_articles_is_kept_without_force(archive: Path, alone: Path, tmp_path: Path) -> None:
    out = tmp_path / "m.parquet"
    out.write_bytes(alone.read_bytes())
    code, output = extract(str(archive / "news"), "-o", str(out), "--workers", "0")
    assert code == 1 and output.strip().splitlines()[-1].endswith("add --force to overwrite it, or choose another path with -o")
    assert out.read_bytes() == alone.read_bytes()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def dask_cluster(tmp_path: Path) -> Iterator[str]:
    """A real `dask scheduler` and one `dask worker` on 127.0.0.1, as separate processes."""
    use_test_index()
    address = f"tcp://127.0.0.1:{_free_port()}"
    dask = str(Path(sys.executable).with_name("dask"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = []
    try:
        started.append(subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                          "--no-dashboard"], env=env, cwd=tmp_path, stderr=subprocess.DEVNULL))  # fmt: skip
        started.append(subprocess.Popen([dask, "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard"],
                                        env=env, cwd=tmp_path, stderr=subprocess.DEVNULL))  # fmt: skip
        yield address
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_a_real_dask_scheduler_gives_the_same_rows(archive: Path, alone: Path, dask_cluster: str, tmp_path: Path) -> None:
    out = tmp_path / "m.parquet"
    deadline = time.monotonic() + 60
    while True:  # the scheduler takes a moment to listen
        code, output = extract(str(archive / "news"), str(archive / "wire.jsonl"), "-o", str(out), "--scheduler", dask_cluster,
                               "--batch", "4")  # fmt: skip
        if code == 0 or "cannot reach the Dask scheduler" not in output or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert code == 0, output
    assert "on 1 worker " in output
    assert rows(out) == rows(alone)


def test_an_unreachable_scheduler_is_one_line(archive: Path, tmp_path: Path) -> None:
    address = f"tcp://127.0.0.1:{_free_port()}"
    code, output = extract(str(archive / "news"), "-o", str(tmp_path / "m.parquet"), "--scheduler", address)
    assert code == 1
    assert output.strip().splitlines()[-1].startswith(f"geo: error: cannot reach the Dask scheduler at {address}")


def test_without_the_corpus_extra_the_error_names_it(tmp_path: Path) -> None:
    code = ("import sys; sys.modules['dask'] = sys.modules['distributed'] = sys.modules['pyarrow'] = None\n"
            "from geo.cli import main; main(['corpus', 'extract', 'x.txt', '-o', 'm.parquet'])")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=tmp_path, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert done.returncode == 1
    assert done.stderr.strip() == ('geo: error: geo corpus needs dask, distributed, pyarrow, from geo\'s corpus extra: '
                                   'pip install -e ".[corpus]"')  # fmt: skip


def test_importing_geo_and_its_cli_loads_neither_dask_nor_pyarrow() -> None:
    code = ("import sys, geo, geo.cli, geo.api, geo.corpus; geo.cli.main(['corpus', '--help'], standalone_mode=False)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed', 'pyarrow')))")  # fmt: skip
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_stats_lists_the_most_mentioned_places_of_each_month(alone: Path) -> None:
    table = CliRunner().invoke(main, ["corpus", "stats", str(alone), "--top", "2"])
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["month", "rank", "place", "ref", "mentions", "articles"]
    done = CliRunner().invoke(main, ["corpus", "stats", str(alone), "--top", "2", "--csv"])
    import csv

    rows = list(csv.DictReader(done.stdout.splitlines()))
    assert [r["month"] for r in rows] == ["2009-03", "2009-03", "2017-06", "2017-06"]
    assert rows[2]["place"] == "Raqqa" and rows[2]["rank"] == "1"
    placed = [r for r in pq.read_table(alone).to_pylist() if r["resolved"] and not r["demonym"]]
    march = [r for r in placed if str(r["date"]).startswith("2009-03")]
    for row in rows[:2]:
        named = [r for r in march if r["ref"] == row["ref"]]
        assert (int(row["mentions"]), int(row["articles"])) == (len(named), len({r["article"] for r in named}))
    counts = sorted({r["ref"]: sum(m["ref"] == r["ref"] for m in march) for r in march}.values(), reverse=True)
    assert [int(r["mentions"]) for r in rows[:2]] == counts[:2]
    assert len(lines) == 1 + len(rows)


def test_stats_of_a_file_that_is_not_a_mentions_file_is_one_line(archive: Path) -> None:
    done = CliRunner().invoke(main, ["corpus", "stats", str(archive / "wire.jsonl")])
    assert done.exit_code == 1
    assert done.output.startswith(f"geo: error: {archive / 'wire.jsonl'}: not a Parquet file") and done.output.count("\n") == 1
