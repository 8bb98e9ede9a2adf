"""Gazetteers: from a place name to coordinates, with where the answer came from.

A gazetteer is anything with a ``lookup`` method returning ranked :class:`Match`
records. The built-in one is small and needs nothing built; others plug in behind
the same interface.
"""

from __future__ import annotations

import csv
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # shapely is loaded only by lookups that return a line or polygon: keeps `geo resolve` fast
    from shapely.geometry.base import BaseGeometry

BUILTIN_CSV = Path(__file__).parent.parent / "data" / "builtin.csv"


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


class Gazetteer(Protocol):
    def lookup(
        self,
        name: str,
        *,
        country: str | None = None,
        near: Sequence[tuple[float, float]] = (),
        candidates: int = 1,
    ) -> list[Match]:
        """The best ``candidates`` matches for ``name``, best first; empty if none."""
        ...


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
def default_gazetteer() -> Gazetteer:
    """The gazetteer the commands use: the offline index (built on first use, see geo.gazetteer.index)."""
    from geo.gazetteer.index import IndexGazetteer

    return IndexGazetteer()
