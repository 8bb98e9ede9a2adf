"""Qualifiers: the area a place lies in ("Paris, Illinois", ``within: Texas``) restricts the places it may mean.

A qualifier names a country (its name or ISO code), a state or region (its name, or a
US state's AP or postal abbreviation: "Ill.", "N.Y.", "TX"). It may name several areas
(Georgia the country and the state): the place is looked for in each, best first, and
the first that holds a place of that name is the one meant ("Atlanta, Georgia").

A place lies in an area when the gazetteer says so:

- in a country: by its country code;
- in a GeoNames region (ids ``CC/admin1[/admin2]``): a region by its id, any other
  place by the region the index files it under (``Match.region``: the nearest
  cities1000 town's, see geo.gazetteer.index); a country or continent in none;
- in any other area: inside its outline, else within its extent of its point
  (:data:`REACH_KM` for a place that has none, such as a town).

A restriction never falls back on a place outside: the caller says that nothing
lies within.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from functools import cache

from geo.gazetteer import (
    REGION_KINDS,
    Candidate,
    Context,
    Gazetteer,
    Match,
    great_circle_km,
    rank,
    us_states,
)

AREA_KINDS = REGION_KINDS | {"country"}
"""Kinds a qualifier after a comma may name: "Paris, Illinois" and "Croft, North Yorkshire", never "Paris, Tyler"."""
QUALIFIER_SPELLING = 92.0
"""A qualifier is spelled as the gazetteer spells the area, or as a close transliteration (Raqa for Raqqa)."""
REACH_KM = 30.0
"""What a place with no extent covers (a city named as ``within:``): its districts and suburbs."""
EDGE_KM = 10.0
"""Slack beyond an outline or extent: a coastal town, a point rounded, an outline simplified."""

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
        if place.kind in ("country", "continent"):
            return False
        if place.region is not None:
            return tuple(place.region.split("/"))[: len(region)] == region
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


@cache
def us_state_abbreviations() -> dict[str, str]:
    """Every abbreviation of a US state a qualifier may use, lower case → the state's name."""
    table = {}
    for row in us_states():
        for form in (row["ap"], row["postal"], *row["qualifier"].split("|")):
            if form:
                table[form.casefold()] = row["name"]
    return table
