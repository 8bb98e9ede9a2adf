"""Whole-process time of `geo build` beside a plain folium script drawing the same points.

Run: python benchmarks/bench_build.py [--runs N]

Both run as fresh processes, alternately, so that caches and machine load affect
them alike. Prints a markdown table of the medians and the ratio, then the size of
the page geo writes, self-contained and with --cdn.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

PLAIN = """\
import folium

points = {points!r}
m = folium.Map(location=points[0][1:], zoom_start=10)
for name, lat, lon in points:
    folium.CircleMarker([lat, lon], radius=6, tooltip=name).add_to(m)
m.save({out!r})
"""


CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
"""Both sides with their bytecode cached, as an installed geo and folium have it: a shell that forbids writing
bytecode would have geo compile its sources on every run while folium's are compiled once at install."""


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=CHILD_ENV)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        exported = subprocess.run(
            [python, "-m", "geo", "export", str(ROOT / "places.yaml")], check=True, capture_output=True, text=True
        ).stdout
        points = [
            (f["properties"]["name"], *reversed(f["geometry"]["coordinates"]))
            for f in json.loads(exported)["features"]
            if f["geometry"]["type"] == "Point"
        ]
        script = Path(tmp) / "plain.py"
        script.write_text(PLAIN.format(points=points, out=str(Path(tmp) / "plain.html")))
        commands = {
            "geo build places.yaml": [python, "-m", "geo", "build", str(ROOT / "places.yaml"), "-o", str(Path(tmp) / "geo.html")],
            f"plain folium script ({len(points)} points)": [python, str(script)],
            "python -c pass": [python, "-c", "pass"],
        }
        for command in commands.values():  # warm the file cache
            timed(command)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                times[name].append(timed(command))
        cdn = Path(tmp) / "cdn.html"
        subprocess.run([*commands["geo build places.yaml"][:-1], str(cdn), "--cdn"], check=True, capture_output=True)
        sizes = {"self-contained": (Path(tmp) / "geo.html").stat().st_size, "--cdn": cdn.stat().st_size}
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline = medians[next(name for name in medians if name.startswith("plain"))]
    print(f"| command | median of {args.runs} runs | ratio to the plain folium script |")
    print("|---|---:|---:|")
    for name, value in medians.items():
        print(f"| {name} | {value * 1000:.0f} ms | {value / baseline:.2f}× |")
    print()
    for name, size in sizes.items():
        print(f"page, {name}: {size / 1000:.0f} KB")


if __name__ == "__main__":
    main()
