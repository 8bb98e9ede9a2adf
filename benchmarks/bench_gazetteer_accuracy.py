"""Accuracy of the offline gazetteer on LGL and GeoVirus, gold toponyms given (markdown table).

Each gold place name is looked up alone ("no context") and then with the article's other
names resolved together (``geo.gazetteer.peers_of``), the way a place list is resolved.
Metrics after Gritta et al.: share within 161 km, mean and median error in km. The corpora
are read from ../shared/corpora (never copied into the repo); GEO_CORPORA overrides it.

    python benchmarks/bench_gazetteer_accuracy.py
"""

from __future__ import annotations

import math
import os
import statistics
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from geo.gazetteer import peers_of
from geo.gazetteer.index import IndexGazetteer

CORPORA = Path(os.environ.get("GEO_CORPORA", Path(__file__).resolve().parents[2] / "shared" / "corpora"))

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
        ])
    return articles


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def evaluate(gazetteer: IndexGazetteer, articles: list[Article], context: bool) -> dict[str, float]:
    errors = []
    for article in articles:
        best = peers_of(gazetteer, (n for n, _, _ in article)) if context else {}
        for name, lat, lon in article:
            found = gazetteer.lookup(name, peers=[peer for other, peer in best.items() if other != name])
            errors.append(km(found[0].lat, found[0].lon, lat, lon) if found else 20038.0)  # unresolved: half the globe
    return {
        "n": len(errors),
        "acc161": 100 * sum(e <= 161 for e in errors) / len(errors),
        "mean": statistics.fmean(errors),
        "median": statistics.median(errors),
    }


def main() -> None:
    gazetteer = IndexGazetteer()
    print("| corpus | toponyms | context | accuracy@161 km | mean error km | median error km | time s |")
    print("|---|---:|---|---:|---:|---:|---:|")
    for label, reader, file in (("LGL", lgl, "lgl.xml"), ("GeoVirus", geovirus, "GeoVirus.xml")):
        articles = reader(CORPORA / file)
        for context in (False, True):
            start = time.perf_counter()
            r = evaluate(gazetteer, articles, context)
            took = time.perf_counter() - start
            print(f"| {label} | {r['n']} | {'article' if context else 'none'} | {r['acc161']:.1f}% | {r['mean']:.0f} | {r['median']:.1f} | {took:.1f} |")


if __name__ == "__main__":
    main()
