"""Whole-process time of `geo render` of the Raqqa list (places.yaml), warm, per size and format.

Run: python benchmarks/bench_render.py [--runs N]

Each render is a fresh `python -m geo render` process, after one untimed run that
warms the gazetteer index, the bytecode and the OS's file cache. Prints a markdown
table of the median and the slowest run per case; the goal is under 3 s warm.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CASES = [("social", "png"), ("social", "svg"), ("social", "pdf"), ("square", "png"), ("print", "png"), ("print", "pdf")]
GOAL_S = 3.0


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    places = str(ROOT / "places.yaml")
    with tempfile.TemporaryDirectory() as tmp:
        render = [sys.executable, "-m", "geo", "render", places]
        timed([*render, "-o", f"{tmp}/warm.png"])
        print("| size | format | median s | slowest s | under 3 s |")
        print("| --- | --- | ---: | ---: | --- |")
        for size, file_format in CASES:
            times = [timed([*render, "--size", size, "-o", f"{tmp}/map.{file_format}"]) for _ in range(args.runs)]
            slowest = max(times)
            print(f"| {size} | {file_format} | {statistics.median(times):.2f} | {slowest:.2f} | "
                  f"{'yes' if slowest < GOAL_S else 'NO'} |")  # fmt: skip


if __name__ == "__main__":
    main()
