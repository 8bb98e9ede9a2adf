"""Gazetteers: from a place name to coordinates, with where the answer came from.

A gazetteer is anything with a ``lookup`` method returning ranked :class:`Match`
records. The built-in one is small and needs nothing built; others plug in behind
the same interface.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # shapely is loaded only by lookups that return a line or polygon: keeps `geo resolve` fast
    from shapely.geometry.base import BaseGeometry

BUILTIN_CSV = Path(__file__).parent.parent / "data" / "builtin.csv"
DEMONYMS_CSV = BUILTIN_CSV.parent / "demonyms.csv"


@dataclass(frozen=True)
class Match:
    """One gazetteer answer and its provenance."""

    name: str
    lat: float
    lon: float
    kind: str
    country: str | None
    source: str
    id: str
    score: float
    radius_km: float | None = None
    """Extent of an area feature (e.g. a country), as the radius of a disc of its area."""
    geometry: BaseGeometry | None = None
    """A line or polygon in (lon, lat), when the source has one."""


Peer = tuple[float, float, str | None]
"""(lat, lon, country) of the best place of another name in the same text."""


class Gazetteer(Protocol):
    def lookup(
        self,
        name: str,
        *,
        country: str | None = None,
        near: Sequence[tuple[float, float]] = (),
        peers: Sequence[Peer] = (),
        candidates: int = 1,
    ) -> list[Match]:
        """The best ``candidates`` matches for ``name``, best first; empty if none.

        ``country`` and ``near`` are firm hints (the user's); ``peers`` are the best places of
        the text's other names, a softer hint that a gazetteer may ignore.
        """
        ...


CONFIDENT = 92.0
"""A text score at least this good (an exact or transliteration-variant key) makes a match a peer."""


def peers_of(
    gazetteer: Gazetteer,
    names: Iterable[str],
    *,
    country: str | None = None,
    near: Sequence[tuple[float, float]] = (),
    rounds: int = 2,
) -> dict[str, Peer]:
    """Each name's best place when the names of one text are resolved together.

    Places named in one article tend to lie in one country and near each other, so each
    round ranks every name's candidates against the other names' current best places
    (its ``peers``); two rounds let a right answer pull its neighbours along. Pass
    ``{n: p for n, p in result.items() if n != name}.values()`` as ``peers`` to a lookup.
    """
    names = list(dict.fromkeys(names))
    best: dict[str, Peer] = {}
    for round_ in range(rounds + 1):
        current: dict[str, Peer] = {}
        for name in names:
            peers = [p for other, p in best.items() if other != name] if round_ else ()
            found = gazetteer.lookup(name, country=country, near=near, peers=peers)
            if found and found[0].score >= CONFIDENT:
                current[name] = (found[0].lat, found[0].lon, found[0].country)
        best = current
    return best


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on a sphere: plenty for ranking candidates (geo.geometry has the geodesic one)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def fold(name: str) -> str:
    """Case and accents folded away: the key spellings are compared by."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ").split())


class BuiltinGazetteer:
    """A few hundred bytes of countries, capitals and cities, exact names only."""

    def __init__(self) -> None:
        self._index: dict[str, list[Match]] = {}

    def add(self, alias: str, match: Match) -> None:
        self._index.setdefault(fold(alias), []).append(match)

    def lookup(
        self,
        name: str,
        *,
        country: str | None = None,
        near: Sequence[tuple[float, float]] = (),
        peers: Sequence[Peer] = (),
        candidates: int = 1,
    ) -> list[Match]:
        found = self._index.get(fold(name), [])
        if country:
            found = sorted(found, key=lambda m: m.country != country)
        return found[:candidates]


@cache
def builtin() -> BuiltinGazetteer:
    """The gazetteer shipped in ``geo/data/builtin.csv``."""
    lines = [line for line in BUILTIN_CSV.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    gazetteer = BuiltinGazetteer()
    for row in csv.DictReader(lines):
        names = row["names"].split("|")
        area = float(row["area_km2"]) if row["area_km2"] else None
        match = Match(
            name=names[0],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            kind=row["kind"],
            country=row["country"] or None,
            source=row["source"],
            id=row["id"],
            score=100.0,
            radius_km=math.sqrt(area / math.pi) if area else None,
        )
        for alias in names:
            gazetteer.add(alias, match)
    return gazetteer


@cache
def demonyms() -> dict[str, str]:
    """Demonym, lower case ("sudanese", "sri lankan") → the place name it belongs to ("Sudan")."""
    lines = [line for line in DEMONYMS_CSV.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return {row["demonym"]: row["place"] for row in csv.DictReader(lines)}


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer the commands use: the offline index (built on first use, see geo.gazetteer.index)."""
    from geo.gazetteer.index import IndexGazetteer

    return IndexGazetteer()
