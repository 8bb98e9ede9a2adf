"""How ``geo extract`` grows with the size of the article: seconds and peak memory per size.

Articles of 0.1 to 20 MB are made by concatenating the real news of LGL and GeoVirus
and the Raqqa article (read from ../shared, never copied into the repo), repeated as
needed. Each size runs in a fresh process on one core, so that its peak memory
(``ru_maxrss``) is its own; the gazetteer is opened and its name set built before
the clock starts. Prints a markdown table: CPU seconds to extract and to write the
draft, characters per second, the resident memory before the article is read and
at its peak.

    .venv/bin/python benchmarks/bench_extract_scale.py [--sizes 0.1 1 2 10 20] [--text news] [--timeout 600]

``--text one-sentence`` removes every full stop and line break (one sentence of the
whole size); ``--text capitals`` writes every word with a capital.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_extract import CORPORA, geovirus, lgl  # noqa: E402

RAQQA = CORPORA.parent / "articles" / "raqqa-2017-06-07.txt"


def article(megabytes: float, kind: str) -> str:
    """The news of both corpora and the Raqqa article, one after the other, cut or repeated to ``megabytes``."""
    texts = [t for t, _ in lgl()] + [t for t, _ in geovirus()] + [RAQQA.read_text(encoding="utf-8")]
    news = "\n\n".join(texts)
    if kind == "one-sentence":
        news = re.sub(r"[.!?\n]+", " ", news)
    elif kind == "capitals":
        news = news.title()
    size = int(megabytes * 1_000_000)
    return (news * (size // len(news) + 1))[:size]


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def one(megabytes: float, kind: str) -> dict[str, float]:
    """Extract one article in this process and measure it."""
    from geo.extract import Extractor
    from geo.extract.draft import render

    text = article(megabytes, kind)
    extractor = Extractor()
    before = rss_mb()
    t0 = time.process_time()
    result = extractor.extract(text)
    t1 = time.process_time()
    render(result, source="article.txt", extractor=extractor)
    t2 = time.process_time()
    return {"chars": len(text), "places": len(result.places), "extract": t1 - t0, "draft": t2 - t1,
            "before": before, "peak": rss_mb()}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1, 2, 10, 20], help="article sizes in MB")
    parser.add_argument("--text", choices=["news", "one-sentence", "capitals"], default="news")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per size")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one, args.text)))
        return
    print(f"`geo extract` of {args.text} articles, one process per size, CPU seconds on one core.\n")
    print("| size | characters | places | extract (s) | draft (s) | MB/s | memory before | peak memory |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for size in args.sizes:
        command = [sys.executable, __file__, "--one", str(size), "--text", args.text]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=args.timeout, check=True)
        except subprocess.TimeoutExpired:
            print(f"| {size:g} MB | | | not done in {args.timeout:g} s | | | | |", flush=True)
            continue
        r = json.loads(done.stdout.splitlines()[-1])
        seconds = r["extract"] + r["draft"]
        print(
            f"| {size:g} MB | {r['chars']:,} | {r['places']:,} | {r['extract']:.1f} | {r['draft']:.1f} "
            f"| {size / seconds:.2f} | {r['before']:.0f} MB | {r['peak']:.0f} MB |",
            flush=True,
        )


if __name__ == "__main__":
    main()
