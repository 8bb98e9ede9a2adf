"""What a person should look at before a map is published: placements that look wrong.

A resolved list can be valid and still wrong: coordinates typed in the wrong order
land in the wrong country and stay valid numbers; an article's "two kilometres" may
not fit the geometry at all. These checks do not change anything; ``geo check``
prints them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from geo.placelist import PlaceList
from geo.placelist import Point as PointPlacement
from geo.resolve import Resolution, measure

OWN_COUNTRY_MARGIN_KM = 25.0
"""A point of a place with its own `country:` may lie this far outside it (borders are drawn coarsely)."""
LIST_COUNTRY_MARGIN_KM = 500.0
"""A point may lie this far outside the list's `country:`: a story about Syria names Mosul too."""
DISTANCE_FACTOR = 3.0
"""A stated distance and the geometry's that differ by more than this factor are one of them wrong."""


@dataclass(frozen=True)
class Concern:
    """One thing that looks wrong, about one place."""

    name: str
    line: int
    message: str


def concerns(place_list: PlaceList, resolution: Resolution) -> Iterator[Concern]:
    """Every concern about the list, in file order per kind of check."""
    yield from _outside_country(place_list)
    yield from _distances(resolution)


def _outside_country(place_list: PlaceList) -> Iterator[Concern]:
    """Given points outside the place's (or the list's) country, and the swapped pair that would be inside."""
    from geo.gazetteer.countries import countries

    outlines = None
    for place in place_list.places:
        code = place.country or place_list.country
        if not code or not isinstance(place.placement, PointPlacement):
            continue
        outlines = outlines or countries()
        outline = outlines.get(code)
        if outline is None:
            continue
        lat, lon = place.placement.latlon
        km = _km_outside(outline.shape, lat, lon)
        margin = OWN_COUNTRY_MARGIN_KM if place.country else LIST_COUNTRY_MARGIN_KM
        swapped_inside = abs(lon) <= 90 and _km_outside(outline.shape, lon, lat) == 0.0
        if km > 0 and swapped_inside:
            yield Concern(place.name, place.line, f"the point [{lat}, {lon}] lies {km:.0f} km outside {outline.name} "
                          f"({code}); did you mean [{lon}, {lat}]? points are written [lat, lon]")  # fmt: skip
        elif km > margin:
            where = f"{outline.name} ({code}{'' if place.country else ', the list’s country'})"
            yield Concern(place.name, place.line, f"the point [{lat}, {lon}] lies {km:.0f} km outside {where}")


def _km_outside(shape: object, lat: float, lon: float) -> float:
    """How far (lat, lon) lies outside a country's outline, in km; 0 inside."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    from geo import geometry

    point = Point(lon, lat)
    if shape.covers(point):  # type: ignore[attr-defined]
        return 0.0
    edge = nearest_points(shape, point)[0]
    return geometry.distance_km((lat, lon), (edge.y, edge.x))


def _distances(resolution: Resolution) -> Iterator[Concern]:
    """Distances the article states that the geometry contradicts by more than DISTANCE_FACTOR."""
    for m in measure(resolution):
        low, high = sorted((m.stated_km, m.measured_km))
        if high > DISTANCE_FACTOR * max(low, 0.05):
            edge = "the edge of " if m.measure_from == "edge" else ""
            yield Concern(m.place.name, m.place.line, f"the article says {m.says!r} ({m.stated_km:g} km) but the geometry "
                          f"gives {m.measured_km:.1f} km from {edge}{m.of}: more than {DISTANCE_FACTOR:g} times apart")  # fmt: skip
