"""A newcomer's first map: `geo build` with an empty cache, so the gazetteer index and the basemap are made too.

Run: python benchmarks/bench_first_map.py [--runs N] [--checkout DIR ...]

Each run is a fresh process on the project's places.yaml with a new, empty GEO_CACHE_DIR,
as after `pip install` on a new machine (no browser: `geo open` is `geo build` and a
browser). It prints a markdown table: the wall time, the CPU time of geo and its child
processes (what a busy machine does not inflate as much), the load average before the
run, and how long each stage of the index build took, from the time its `geo:` line
appeared. ``--checkout`` compares other checkouts of geo (e.g. an older commit unpacked
with `git archive`), each run alternately with this one.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGE = re.compile(r"geo: building the gazetteer index: (.+?) \(\d+%\)")


def first_build(checkout: Path) -> dict[str, float | dict[str, float]]:
    """One cold `geo build` of ``checkout``: wall and CPU seconds, and each index stage's wall seconds."""
    with tempfile.TemporaryDirectory(prefix="geo-first-map-") as scratch:
        work = Path(scratch)
        shutil.copy(ROOT / "places.yaml", work / "places.yaml")
        env = {**os.environ, "GEO_CACHE_DIR": str(work / "cache"), "PYTHONPATH": str(checkout)}
        load = os.getloadavg()[0]
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "geo", "build", "places.yaml", "-o", "map.html"], cwd=work,
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        stages: dict[str, float] = {}
        stage, since = None, start
        assert process.stderr is not None
        for line in process.stderr:
            now = time.perf_counter()
            if stage is not None:
                stages[stage] = now - since
                stage = None
            if found := STAGE.match(line):
                stage, since = found[1], now
        if process.wait() != 0:
            raise SystemExit(f"geo build failed in {checkout}")
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if not (work / "map.html").is_file():
            raise SystemExit(f"geo build wrote no map in {checkout}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "load": load, "stages": stages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--checkout", type=Path, action="append", default=[], help="another checkout of geo to compare")
    args = parser.parse_args()
    checkouts = [*args.checkout, ROOT]
    results: dict[Path, list[dict]] = {c: [] for c in checkouts}
    for _ in range(args.runs):
        for checkout in checkouts:
            results[checkout].append(first_build(checkout))
    print(f"{os.cpu_count()} cores; medians of {args.runs} run(s)\n")
    print("| checkout | first `geo build` s | CPU s (geo and children) | load before | index stages (s, wall) |")
    print("|---|---:|---:|---:|---|")
    for checkout, runs in results.items():
        stages = {name: statistics.median(r["stages"].get(name, 0.0) for r in runs) for name in runs[0]["stages"]}
        shown = ", ".join(f"{name} {seconds:.1f}" for name, seconds in stages.items())
        print(f"| {checkout} | {statistics.median(r['wall'] for r in runs):.1f} | "
              f"{statistics.median(r['cpu'] for r in runs):.1f} | {statistics.median(r['load'] for r in runs):.1f} | {shown} |")


if __name__ == "__main__":
    main()
