"""Accuracy and honesty of the offline gazetteer on LGL and GeoVirus, gold toponyms given (markdown).

Each gold place name is looked up alone ("no context") and then with the article's other
names resolved together (``geo.gazetteer.resolve_together``), the way a place list is
resolved. Metrics after Gritta et al.: the share within 161 km (a name not found counts as
wrong), mean and median error in km. The error of a place the gazetteer draws as an area (a
country's outline, a region's extent) is the distance from the gold point to that area, 0
inside it: a gold point for Russia anywhere in Russia is right, as a reader would judge. Then what the confidence is worth: the share of
toponyms placed confidently, how often those are right, how often the unverified ones
are right, and the share not found at all. The corpora are read from ../shared/corpora
(never copied into the repo); GEO_CORPORA overrides it.

    python benchmarks/bench_gazetteer_accuracy.py
    python benchmarks/bench_gazetteer_accuracy.py --temperature 4 8 16   # how calibration moves
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import geo.gazetteer as gazetteers
from geo.gazetteer import Gazetteer, Match, resolve_together
from geo.gazetteer.index import IndexGazetteer
from geo.geometry import distance_to_area_km

CORPORA = Path(os.environ.get("GEO_CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora"))
UNRESOLVED_KM = 20038.0
"""The error of a name not found: half the globe, as Gritta et al. count it."""

Article = list[tuple[str, float, float]]


def lgl(path: Path) -> list[Article]:
    articles = []
    for article in ET.parse(path).getroot().iter("article"):
        gold = []
        for toponym in article.iter("toponym"):
            tag = toponym.find("gaztag")
            if tag is None or tag.find("lat") is None:
                continue
            gold.append((toponym.findtext("phrase", "").strip(), float(tag.findtext("lat")), float(tag.findtext("lon"))))
        articles.append(gold)
    return articles


def geovirus(path: Path) -> list[Article]:
    articles = []
    for article in ET.parse(path).getroot().iter("article"):
        articles.append([
            (loc.findtext("name", "").strip(), float(loc.findtext("lat")), float(loc.findtext("lon")))
            for loc in article.iter("location") if loc.findtext("lat")
        ])  # fmt: skip
    return articles


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def error_km(gazetteer: Gazetteer, match: Match, lat: float, lon: float) -> float:
    """How far the gold point is from the place found: from its area (0 inside) when it is one, else from its point."""
    area = gazetteer.complete(match).geometry
    if area is not None and area.geom_type in ("Polygon", "MultiPolygon"):
        return distance_to_area_km((lat, lon), area)
    return km(match.lat, match.lon, lat, lon)


def evaluate(gazetteer: IndexGazetteer, articles: list[Article], context: bool) -> dict[str, float]:
    errors: list[float] = []
    confident: list[bool] = []
    for article in articles:
        names = [n for n, _, _ in article]
        found = resolve_together(gazetteer, names) if context else {n: gazetteer.lookup(n) for n in names}
        for name, lat, lon in article:
            best = found[name][0] if found[name] else None
            errors.append(error_km(gazetteer, best, lat, lon) if best else UNRESOLVED_KM)
            confident.append(best is not None and best.confident)
    right = [e <= 161 for e in errors]
    sure = [r for r, c in zip(right, confident, strict=True) if c]
    unsure = [r for r, c, e in zip(right, confident, errors, strict=True) if not c and e < UNRESOLVED_KM]
    n = len(errors)
    return {
        "n": n,
        "acc161": 100 * sum(right) / n,
        "mean": statistics.fmean(errors),
        "median": statistics.median(errors),
        "confident": 100 * len(sure) / n,
        "confident_right": 100 * sum(sure) / max(1, len(sure)),
        "unverified": 100 * len(unsure) / n,
        "unverified_right": 100 * sum(unsure) / max(1, len(unsure)),
        "not_found": 100 * sum(e >= UNRESOLVED_KM for e in errors) / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--temperature", type=float, nargs="*", default=[gazetteers.TEMPERATURE])
    args = parser.parse_args()
    gazetteer = IndexGazetteer()
    print("| corpus | toponyms | context | T | accuracy@161 km | mean km | median km | confident | of which right |"
          " unverified | of which right | not found | time s |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, reader, file in (("LGL", lgl, "lgl.xml"), ("GeoVirus", geovirus, "GeoVirus.xml")):
        articles = reader(CORPORA / file)
        for context in (False, True):
            for temperature in args.temperature:
                gazetteers.TEMPERATURE = temperature
                start = time.perf_counter()
                r = evaluate(gazetteer, articles, context)
                took = time.perf_counter() - start
                print(f"| {label} | {r['n']} | {'article' if context else 'none'} | {temperature:g} | {r['acc161']:.1f}% "
                      f"| {r['mean']:.0f} | {r['median']:.1f} | {r['confident']:.1f}% | {r['confident_right']:.1f}% "
                      f"| {r['unverified']:.1f}% | {r['unverified_right']:.1f}% | {r['not_found']:.1f}% | {took:.1f} |")


if __name__ == "__main__":
    main()

