"""Accuracy and speed of ``geo extract`` on LGL and GeoVirus, from raw text.

Reads the corpora from ../shared/corpora (never copied into the repo) and prints
markdown tables: toponym precision/recall/F1 (a predicted span counts when it
overlaps a gold span; "exact" needs the same offsets), end-to-end accuracy within
161 km over the gold toponyms with coordinates (a missed toponym counts as wrong; a country
or region counts by its area, as in bench_gazetteer_accuracy.py),
and articles per second on one core (the gazetteer opened beforehand).

    .venv/bin/python benchmarks/bench_extract.py [--limit N]
"""

from __future__ import annotations

import argparse
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from bench_gazetteer_accuracy import error_km  # the same yardstick: beside this script

from geo.extract import Extractor

CORPORA = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"
if not CORPORA.exists():
    CORPORA = Path("/work/shared/corpora")


def lgl() -> list[tuple[str, list[tuple[int, int, float | None, float | None]]]]:
    out = []
    for art in ET.parse(CORPORA / "lgl.xml").getroot().iter("article"):
        gold = []
        for t in art.iter("toponym"):
            gaz = t.find("gaztag")
            lat = float(gaz.findtext("lat")) if gaz is not None and gaz.findtext("lat") else None
            lon = float(gaz.findtext("lon")) if gaz is not None and gaz.findtext("lon") else None
            gold.append((int(t.findtext("start")), int(t.findtext("end")), lat, lon))
        out.append((art.findtext("text") or "", gold))
    return out


def geovirus() -> list[tuple[str, list[tuple[int, int, float | None, float | None]]]]:
    """GeoVirus offsets count from 1: every ``<name>`` reads at ``text[start - 1 : end - 1]``, and is checked."""
    out = []
    for art in ET.parse(CORPORA / "GeoVirus.xml").getroot().iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for loc in art.iter("location"):
            start, end = int(loc.findtext("start")) - 1, int(loc.findtext("end")) - 1
            if text[start:end] != loc.findtext("name"):
                raise ValueError(f"GeoVirus span {start}-{end} reads {text[start:end]!r}, not {loc.findtext('name')!r}")
            gold.append((start, end, float(loc.findtext("lat")), float(loc.findtext("lon"))))
        out.append((text, gold))
    return out


def evaluate(name: str, articles, extractor: Extractor) -> dict[str, float]:
    tp = fp = fn = exact = 0
    correct = total_geo = 0
    texts = [t for t, _ in articles]
    t0 = time.process_time()
    results = [extractor.extract(t) for t in texts]
    seconds = time.process_time() - t0
    for (text, gold), res in zip(articles, results, strict=True):
        pred = []
        for m, place in res.mentions():
            if m.demonym or place.kind == "zone" or not m.text.strip():
                continue
            if place.match is None and place.relative is None:
                continue
            pred.append((m.start, m.end, place.match))
        used = set()
        for gs, ge, glat, glon in gold:
            hit = next((i for i, (ps, pe, _) in enumerate(pred) if ps < ge and gs < pe and i not in used), None)
            if hit is None:
                fn += 1
            else:
                used.add(hit)
                tp += 1
                exact += pred[hit][:2] == (gs, ge)
            if glat is not None:
                total_geo += 1
                match = pred[hit][2] if hit is not None else None
                if match is not None and error_km(extractor.gazetteer, match, glat, glon) <= 161:
                    correct += 1
        fp += len(pred) - len(used)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "corpus": name, "articles": len(articles), "P": p, "R": r, "F1": f1, "exact": exact / (tp + fn) if tp + fn else 0,
        "acc161": correct / total_geo if total_geo else 0.0, "rate": len(articles) / seconds if seconds else float("inf"),
        "chars": sum(map(len, texts)) / len(texts),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="only the first N articles of each corpus")
    args = parser.parse_args()
    t0 = time.perf_counter()
    extractor = Extractor()
    setup = time.perf_counter() - t0
    rows = []
    for name, loader in (("LGL", lgl), ("GeoVirus", geovirus)):
        articles = loader()
        if args.limit:
            articles = articles[: args.limit]
        rows.append(evaluate(name, articles, extractor))
    print(f"Gazetteer opened and name set built in {setup:.1f} s (once per process).\n")
    print("| corpus | articles | precision | recall | F1 | exact spans | accuracy@161 km (end to end) | articles/s (1 core) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['corpus']} | {r['articles']} | {r['P']:.3f} | {r['R']:.3f} | {r['F1']:.3f} | {r['exact']:.3f} "
            f"| {r['acc161']:.1%} | {r['rate']:.0f} (avg {r['chars']:.0f} chars) |"
        )


if __name__ == "__main__":
    main()
