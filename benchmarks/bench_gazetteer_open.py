"""What checking the gazetteer index costs: on every open, and in full for `geo gazetteer info` (markdown table).

    python benchmarks/bench_gazetteer_open.py

Builds the index first if it is not current (GEO_CACHE_DIR chooses where). Medians of
many runs, in one warm process: the check a start pays on top of opening the file.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    from geo.gazetteer import index

    path = index.index_path()
    index.ensure_index(path)
    size = path.stat().st_size / 1e6
    print("| measure | median |")
    print("|---|---:|")
    print(f"| header and length check | {median_ms(lambda: index._header_damage(path), 2000):.3f} ms |")
    print(f"| signature of the sources | {median_ms(index.signature, 2000):.3f} ms |")
    print(f"| whole check on open (`ensure_index`, current file) | {median_ms(lambda: index.ensure_index(path), 2000):.3f} ms |")
    print(f"| open with the check (`IndexGazetteer()`) | {median_ms(lambda: index.IndexGazetteer(path), 200):.3f} ms |")
    print(f"| full check of {size:.0f} MB (`geo gazetteer info`) | {median_ms(lambda: index.full_check(path), 5):.0f} ms |")


if __name__ == "__main__":
    main()
