"""`geo corpus`: articles per second on one and two workers, peak memory as the archive grows, the map in Chromium.

The archive is the news of LGL and GeoVirus (read from ../shared, never copied into the
repo), repeated to the size asked and written as JSON lines in a temporary folder, each
copy with its own id and a date. Each run is `geo corpus extract` in its own process (a
local Dask cluster of N worker processes); its wall time counts everything, the start of
the cluster and the workers' gazetteer included. Peak memory is the largest sum of the
resident memory of the command and its workers, polled every 0.1 s.

The map is measured on a mentions file of 10,000 places and 100,000 mentions over a year
(made here, not extracted: no news archive at hand names 10,000 places): the time to
write the page, its size, and in Debian's Chromium with every request refused the time
from navigation to a drawn map, one move of the slider and opening the largest popup (each timed in the page, to the next frame).

    GEO_CACHE_DIR=... .venv/bin/python benchmarks/bench_corpus.py [--articles 10000] [--memory 1000 10000] [--skip-map]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from bench_extract import geovirus, lgl


def archive(folder: Path, count: int) -> Path:
    """``count`` articles of LGL and GeoVirus, repeated, as one JSON lines file."""
    texts = [t for t, _ in lgl()] + [t for t, _ in geovirus()]
    path = folder / f"news-{count}.jsonl"
    start = dt.date(2020, 1, 1)
    with path.open("w", encoding="utf-8") as handle:
        for i in range(count):
            text = texts[i % len(texts)]
            record = {"id": f"a{i}", "date": (start + dt.timedelta(days=i % 366)).isoformat(),
                      "title": text.split(".")[0][:120], "text": text}  # fmt: skip
            handle.write(json.dumps(record) + "\n")
    return path


def run(inputs: Path, out: Path, workers: int) -> dict[str, float]:
    """One `geo corpus extract` process: wall seconds and peak memory (MB) of it and its workers."""
    import psutil

    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "geo", "corpus", "extract", str(inputs), "-o", str(out), "--workers", str(workers), "--force"]
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    root = psutil.Process(process.pid)
    peak_all = peak_main = 0.0
    while process.poll() is None:
        try:
            main = root.memory_info().rss
            everyone = main + sum(c.memory_info().rss for c in root.children(recursive=True))
        except psutil.Error:
            continue
        peak_main, peak_all = max(peak_main, main / 2**20), max(peak_all, everyone / 2**20)
        time.sleep(0.1)
    seconds = time.monotonic() - started
    stderr = process.stderr.read() if process.stderr else ""
    if process.returncode != 0:
        raise SystemExit(f"geo corpus extract failed:\n{stderr}")
    return {"seconds": seconds, "peak_all": peak_all, "peak_main": peak_main, "load": (load_before + os.getloadavg()[0]) / 2,
            "summary": stderr.strip().splitlines()[-1]}  # fmt: skip


def synthetic_mentions(path: Path, places: int = 10_000, mentions: int = 100_000, articles: int = 20_000) -> None:
    """A mentions file of ``places`` places named ``mentions`` times by ``articles`` articles over a year."""
    import pyarrow.parquet as pq

    from geo import corpus

    rng = random.Random(7)
    spots = [(f"Place {i}", round(rng.uniform(-55, 70), 5), round(rng.uniform(-180, 180), 5)) for i in range(places)]
    weights = [1 / (i + 1) for i in range(places)]  # a few places named often, most rarely, as in news
    start = dt.date(2020, 1, 1)
    rows = []
    named = rng.choices(range(places), weights=weights, k=mentions - places) + list(range(places))
    for n, place in enumerate(named):
        article = n % articles
        name, lat, lon = spots[place]
        rows.append({"article": f"a{article}", "date": start + dt.timedelta(days=article % 366), "title": f"Article {article}",
                     "url": None, "start": 0, "end": len(name), "text": name, "name": name, "ref": f"test:{place}",
                     "kind": "city", "lat": lat, "lon": lon, "confidence": 1.0, "score": 1.0, "demonym": False,
                     "sentence": 0, "resolved": True, "quote": f"Something happened in {name} on that day, officials said."})  # fmt: skip
    pq.write_table(corpus._table(rows), path)


def measure_map(folder: Path) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    mentions, page_path = folder / "synthetic.parquet", folder / "corpus.html"
    synthetic_mentions(mentions)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    subprocess.run([sys.executable, "-m", "geo", "corpus", "map", str(mentions), "-o", str(page_path)], env=env, check=True,
                   capture_output=True)  # fmt: skip
    build = time.monotonic() - started
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        loads, sliders, popups = [], [], []
        for _ in range(3):
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            context.route("**/*", lambda route, request: route.continue_() if request.url.startswith("file:") else route.abort())
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
            t0 = time.monotonic()
            page.goto(page_path.as_uri(), wait_until="load")
            page.wait_for_function("window.geoCorpus && geoCorpus.ready")
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")  # drawn
            loads.append(time.monotonic() - t0)
            if errors:
                raise SystemExit(f"JavaScript errors on the corpus page: {errors}")
            shown = int(page.locator("body").get_attribute("data-places-shown") or 0)
            sliders.append(page.evaluate("""() => { const s = document.querySelector('.corpus-slider'); const t = performance.now();
                s.value = String(Math.floor(Number(s.max) / 2)); s.dispatchEvent(new Event('input'));
                return new Promise(r => requestAnimationFrame(() => r(performance.now() - t))); }"""))
            popups.append(page.evaluate("""() => { const p = geoCorpus.places.slice().sort((a, b) => b.count - a.count)[0];
                const t = performance.now(); p.marker.openPopup();
                const items = document.querySelectorAll('.leaflet-popup-content li').length;
                return new Promise(r => requestAnimationFrame(() => r(items ? performance.now() - t : NaN))); }"""))
            context.close()
        browser.close()
    return {"build": build, "size": page_path.stat().st_size / 1e6, "load": sorted(loads)[1], "slider_ms": sorted(sliders)[1],
            "popup_ms": sorted(popups)[1], "shown": shown}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles for the speed runs")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--memory", type=int, nargs="+", default=[1_000, 10_000], help="archive sizes for peak memory")
    parser.add_argument("--skip-map", action="store_true")
    parser.add_argument("--map-only", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="geo-bench-corpus-") as tmp:
        folder = Path(tmp)
        if args.map_only:
            args.workers, args.memory = [], []
        if args.workers or args.memory:
            print(f"`geo corpus extract` of LGL and GeoVirus news repeated, {os.cpu_count()} cores, wall time from start to "
                  "written file (cluster start included); load = mean 1-minute load average during the run.\n")  # fmt: skip
            print("| articles | workers | seconds | articles/s | speed-up | peak memory, all processes | peak memory, main | load |")
            print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        inputs = archive(folder, args.articles) if args.workers else folder
        one = None
        for workers in args.workers:
            r = run(inputs, folder / "m.parquet", workers)
            rate = args.articles / r["seconds"]
            one = one or rate
            print(f"| {args.articles:,} | {workers} | {r['seconds']:.1f} | {rate:.0f} | {rate / one:.2f}× | {r['peak_all']:.0f} MB "
                  f"| {r['peak_main']:.0f} MB | {r['load']:.1f} |", flush=True)  # fmt: skip
        for count in args.memory:
            if count == args.articles and 1 in args.workers:
                continue  # measured above
            r = run(archive(folder, count), folder / f"m{count}.parquet", 1)
            print(f"| {count:,} | 1 | {r['seconds']:.1f} | {count / r['seconds']:.0f} | | {r['peak_all']:.0f} MB "
                  f"| {r['peak_main']:.0f} MB | {r['load']:.1f} |", flush=True)  # fmt: skip
        if not args.skip_map:
            m = measure_map(folder)
            print("\n`geo corpus map` of 10,000 places and 100,000 mentions (20,000 articles over a year), Chromium, offline; median of 3 page loads.\n")
            print("| write the page | page size | load to drawn map | places drawn | move the slider | open the largest popup |")
            print("|---:|---:|---:|---:|---:|---:|")
            print(f"| {m['build']:.1f} s | {m['size']:.1f} MB | {m['load']:.2f} s | {m['shown']:,} | {m['slider_ms']:.0f} ms "
                  f"| {m['popup_ms']:.0f} ms |")  # fmt: skip


if __name__ == "__main__":
    main()
