"""The map page at 100, 1,000 and 10,000 places, beside plain folium, in real Chromium.

Run: GEO_CACHE_DIR=... python benchmarks/bench_page.py [--sizes 100 1000 10000] [--runs N]

For each size it writes a place list of points with given coordinates (no look-ups),
builds it with ``geo build`` and builds a plain folium page of the same points (circle
markers with popups and tooltips), each in a fresh process, and opens both in Debian's
headless Chromium from ``file://`` with every request refused but the two libraries the
folium page's script needs, answered from PyPI packages: Leaflet (xstatic-leaflet, the
files geo inlines) and jQuery (xstatic-jquery, which folium's popups use). It measures:

* build: the whole process, reading the list included;
* load: from navigation to the first painted frame after the page's script has drawn
  everything (for geo: after its labels are laid out, ``geoStory.ready``);
* zoom / pan: one zoom step in (no animation) or a pan by 300 x 200 px, until the second
  frame after it, so that the redraw and the label layout it starts are counted.

Prints a markdown table (medians over ``--runs`` page openings) and any JavaScript error.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Request, Route

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
KINDS = ["village"] * 14 + ["town"] * 4 + ["city", "site"]
OFFLINE = "Offline (Natural Earth)"
FRAMES = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
STEP = """async ([kind, ready]) => {
  const map = window.geoStory ? geoStory.map : Object.values(window).find(v => v instanceof L.Map);
  const start = performance.now();
  if (kind === "zoom") { map.setZoom(map.getZoom() + 1, {animate: false}); } else { map.panBy([300, 200], {animate: false}); }
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - start;
}"""


def write_points(count: int, folder: Path) -> tuple[Path, Path]:
    """A place list of ``count`` points around the Euphrates valley, and the same points as JSON."""
    rng = random.Random(count)
    points = [
        (f"Place {i:05d}", KINDS[rng.randrange(len(KINDS))], round(rng.uniform(33.0, 37.5), 5), round(rng.uniform(36.0, 43.0), 5))
        for i in range(count)
    ]
    lines = ["title: Benchmark of many places", "places:"]
    lines += [f"  - {{name: {name}, kind: {kind}, point: [{lat}, {lon}]}}" for name, kind, lat, lon in points]
    yaml_path, json_path = folder / f"places-{count}.yaml", folder / f"points-{count}.json"
    yaml_path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    json_path.write_text(json.dumps(points), encoding="utf-8")
    return yaml_path, json_path


def build_folium(points_json: Path, out: Path) -> None:
    """The plain folium page: one circle marker per point, with a popup and a tooltip."""
    import folium

    points = json.loads(points_json.read_text(encoding="utf-8"))
    lats, lons = [p[2] for p in points], [p[3] for p in points]
    fmap = folium.Map(location=[sum(lats) / len(lats), sum(lons) / len(lons)], zoom_start=7)
    for name, kind, lat, lon in points:
        folium.CircleMarker([lat, lon], radius=6, popup=f"{name} ({kind})", tooltip=name, fill=True).add_to(fmap)
    fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]])
    fmap.save(str(out))


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return time.perf_counter() - start


def measure(browser: Browser, page_path: Path, geo: bool) -> tuple[float, float, float, list[str]]:
    """Load, zoom-step and pan-step milliseconds of one opening of the page, and its JavaScript errors."""
    from xstatic.pkg import jquery, leaflet

    libraries = {
        f"https://cdn.jsdelivr.net/npm/leaflet@{leaflet.VERSION}/dist/leaflet.js": Path(leaflet.BASE_DIR) / "leaflet.js",
        f"https://cdn.jsdelivr.net/npm/leaflet@{leaflet.VERSION}/dist/leaflet.css": Path(leaflet.BASE_DIR) / "leaflet.css",
        f"https://code.jquery.com/jquery-{jquery.VERSION}.min.js": Path(jquery.BASE_DIR) / "jquery.min.js",
    }
    url = page_path.resolve().as_uri()
    context = browser.new_context(viewport={"width": 1280, "height": 800})

    def answer(route: Route, request: Request) -> None:
        if request.url == url:
            route.continue_()
        elif request.url in libraries:
            kind = "text/css" if request.url.endswith(".css") else "application/javascript"
            route.fulfill(path=libraries[request.url], content_type=kind)
        else:
            route.abort()

    context.route("**/*", answer)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(600_000)
    page.goto(url, wait_until="load", timeout=600_000)
    if geo:
        page.wait_for_function("window.geoStory && geoStory.ready", polling=50)
    load = page.evaluate(f"{FRAMES}.then(() => performance.now())")
    if geo:
        page.wait_for_function(f"geoStory.basemap() === {OFFLINE!r}")
    page.evaluate(FRAMES)
    zoom = page.evaluate(STEP, ["zoom", geo])
    pan = page.evaluate(STEP, ["pan", geo])
    context.close()
    return load, zoom, pan, errors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    parser.add_argument("--runs", type=int, default=3, help="page openings per page (the median is printed)")
    parser.add_argument("--folium-build", nargs=2, metavar=("POINTS_JSON", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.folium_build:
        build_folium(Path(args.folium_build[0]), Path(args.folium_build[1]))
        return

    from playwright.sync_api import sync_playwright

    rows = []
    problems = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        folder = Path(tmp)
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"])
        for count in args.sizes:
            yaml_path, json_path = write_points(count, folder)
            pages = {"`geo build`": folder / f"geo-{count}.html", "plain folium": folder / f"folium-{count}.html"}
            builds = {
                "`geo build`": timed([sys.executable, "-m", "geo", "build", str(yaml_path), "-o", str(pages["`geo build`"])]),
                "plain folium": timed([sys.executable, __file__, "--folium-build", str(json_path), str(pages["plain folium"])]),
            }
            runs: dict[str, list[tuple[float, float, float, list[str]]]] = {label: [] for label in pages}
            for _ in range(args.runs):  # the pages take turns, so that a busy moment of the machine falls on both
                for label, path in pages.items():
                    runs[label].append(measure(browser, path, geo=label == "`geo build`"))
            for label, path in pages.items():
                load, zoom, pan = (statistics.median(run[i] for run in runs[label]) for i in range(3))
                problems += [f"{label}, {count} places: {error}" for run in runs[label] for error in run[3]]
                size_mb = path.stat().st_size / 1e6
                rows.append(f"| {count:,} | {label} | {builds[label]:.1f} s | {size_mb:.1f} MB | {load / 1000:.2f} s | {zoom / 1000:.2f} s | {pan / 1000:.2f} s |")
                print(rows[-1], file=sys.stderr, flush=True)
        browser.close()
    print("| places | page | build | file | page load | one zoom step | one pan step |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print(f"\nJavaScript errors: {len(problems)}")
    for problem in problems:
        print(f"- {problem}")


if __name__ == "__main__":
    main()
