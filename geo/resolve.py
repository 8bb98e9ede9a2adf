"""From a place list to geometries: each place's placement is resolved to a shapely shape.

Places are resolved in dependency order, so a place may refer to one defined later
in the file. A place that cannot be resolved (a name no gazetteer matches) is
reported as a :class:`Problem`, with the closest names as suggestions, rather than
raised, so that one bad name never empties the map; the places that depend on it
are reported too. Every placement carries a confidence: 1 for what the file gives,
the gazetteer's for a name it looked up (see :mod:`geo.gazetteer`), the least of its
references' for a place computed from others.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Literal

from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from geo import geometry
from geo.errors import PlaceListError, ResolutionError
from geo.gazetteer import CONFIDENT, Context, Gazetteer, Match, Query, resolve_together
from geo.gazetteer.within import areas, inside
from geo.placelist import (
    Area,
    Line,
    Lookup,
    MeasureFrom,
    Place,
    PlaceList,
    Ref,
    Relative,
    Zone,
)
from geo.placelist import Point as PointPlacement
from geo.placelist import Polygon as PolygonPlacement

LatLon = tuple[float, float]
ALTERNATIVES = 3
"""Other places a looked-up name may mean, kept for a reviewer to choose from."""


@dataclass(frozen=True)
class Resolved:
    """A place with its geometry, in (lon, lat), how that geometry was obtained and how sure it is."""

    place: Place
    geometry: BaseGeometry
    anchor: LatLon
    """(lat, lon) where its marker and label go."""
    precision: Literal["exact", "approximate"]
    radius_km: float | None
    """Uncertainty radius when approximate."""
    origin: str
    """Where the coordinates came from, in words."""
    match: Match | None = None
    confidence: float = 1.0
    """1 for what the place list gives or a person checked; the gazetteer's confidence for a name it looked up."""
    alternatives: tuple[Match, ...] = ()
    """For a looked-up name, the next places it may mean, best first."""

    @property
    def unverified(self) -> bool:
        """A guess a reader must see as one: drawn apart, listed by `geo check`, refused by --strict."""
        return self.confidence < CONFIDENT

    @property
    def extent(self) -> Polygon | MultiPolygon | None:
        """The area the place covers, when it covers one (for "from its edge")."""
        return self.geometry if isinstance(self.geometry, (Polygon, MultiPolygon)) else None

    @property
    def outlined(self) -> bool:
        """Whether the place is an area the gazetteer draws (a country's outline, a region's extent), not a point."""
        return self.match is not None and self.geometry is self.match.geometry and self.extent is not None

    @property
    def body(self) -> BaseGeometry:
        """What a distance from the place leaves and a map frames: for a gazetteer area, its homeland.

        "100 km west of France" leaves metropolitan France, and a map of a French story
        frames it, not the overseas departments (see :func:`geo.geometry.parts_near`).
        """
        if not self.outlined or not isinstance(self.geometry, MultiPolygon):
            return self.geometry
        return geometry.parts_near(self.geometry, self.anchor)

    def measured_from(self, asked: MeasureFrom | None) -> MeasureFrom:
        """Where a distance from this place starts when the list says ``asked`` (None: not said).

        "100 km north of Alberta" or "20 km from Syria" is beyond the area's edge, never
        a point inside it 100 km from its centre: distances from an area the gazetteer
        draws start at its edge, unless the list says ``from: centre``. From a point, or a
        disc or outline the list itself gives, they start at its centre, unless it says
        ``from: edge``.
        """
        return asked or ("edge" if self.outlined else "centre")


@dataclass(frozen=True)
class Problem:
    place: Place
    message: str
    suggestions: tuple[Match, ...] = ()
    """The closest names a gazetteer has, for a name it does not know."""


@dataclass(frozen=True)
class Measured:
    """An article's stated distance beside what the geometry gives."""

    place: Place
    says: str
    stated_km: float
    measured_km: float
    of: str
    measure_from: str


@dataclass(frozen=True)
class Resolution:
    resolved: tuple[Resolved, ...]
    problems: tuple[Problem, ...]

    def by_name(self) -> dict[str, Resolved]:
        return {r.place.name: r for r in self.resolved}

    @property
    def unverified(self) -> tuple[Resolved, ...]:
        return tuple(r for r in self.resolved if r.unverified)


def resolve(place_list: PlaceList, gazetteer: Gazetteer) -> Resolution:
    """Resolve every place of the list; order follows the file.

    Raises :class:`PlaceListError` for a ``ref:`` no gazetteer has, or a ``within:`` that names
    no area: those are mistakes in the file, not names to look up.
    """
    index = place_list.by_name()
    done: dict[str, Resolved] = {}
    failed: dict[str, Problem] = {}
    found = _look_up(place_list, gazetteer)

    def visit(place: Place) -> None:
        if place.name in done or place.name in failed:
            return
        refs = [index[name.casefold()] for name in place.references]
        for ref in refs:
            visit(ref)
        broken = [ref.name for ref in refs if ref.name in failed]
        if broken:
            failed[place.name] = Problem(place, f"depends on {broken[0]!r}, which could not be placed")
            return
        try:
            refs_done = {ref.name: done[ref.name] for ref in refs}
            done[place.name] = _resolve_place(place, refs_done, place_list, gazetteer, found.get(place.name, []))
        except _Unresolved as exc:
            failed[place.name] = Problem(place, str(exc), exc.suggestions)

    for place in place_list.in_dependency_order():  # so visit() never recurses deeper than one level
        visit(place)
    return Resolution(
        resolved=tuple(done[p.name] for p in place_list.places if p.name in done),
        problems=tuple(failed[p.name] for p in place_list.places if p.name in failed),
    )


class _Unresolved(Exception):
    def __init__(self, message: str, suggestions: tuple[Match, ...] = ()) -> None:
        super().__init__(message)
        self.suggestions = suggestions


def _look_up(place_list: PlaceList, gazetteer: Gazetteer) -> dict[str, list[Match]]:
    """The ranked matches of every place the gazetteer places, its names resolved together.

    The points the file gives are firm context (a list about Raqqa means the Mosul in
    Iraq); the other looked-up names are soft context (see geo.gazetteer.resolve_together).
    A place's ``within:`` keeps only its candidates inside that area.
    """
    places = place_list.places
    near = tuple(p.placement.latlon for p in places if isinstance(p.placement, PointPlacement)) + tuple(
        p.placement.center for p in places if isinstance(p.placement, Area) and p.placement.center
    )
    looked_up = [
        p for p in places
        if isinstance(p.placement, (Lookup, Ref)) or (isinstance(p.placement, Area) and not p.placement.center)
    ]  # fmt: skip
    queries = [
        Query(p.name, p.aliases, kind=None if p.kind == "other" else p.kind, country=p.country,
              within=_areas(p, place_list, gazetteer))
        for p in looked_up
    ]  # fmt: skip
    return resolve_together(gazetteer, queries, country=place_list.country, near=near) if queries else {}


def _areas(place: Place, place_list: PlaceList, gazetteer: Gazetteer) -> tuple[Match, ...]:
    """The areas a place's ``within:`` may name, best first: a place of the list by its name, else the gazetteer's.

    Raises :class:`PlaceListError` for a ``within:`` that names nothing known.
    """
    if place.within is None:
        return ()
    other = place_list.by_name().get(place.within.casefold())
    found = _list_area(other, gazetteer) if other is not None else areas(gazetteer, place.within, any_kind=True)
    if not found and other is not None:
        raise PlaceListError(
            place_list.path, place.within_line, f"place {place.name!r} is `within:` {other.name!r}, whose position "
            "is computed from another place",
            f"give {other.name!r} a `point:`, `polygon:` or `ref:`, or name a region, state or country in `within:`",
        )  # fmt: skip
    if not found:
        close = ", ".join(f"{m.name} ({m.country or m.kind})" for m in gazetteer.suggest(place.within))
        raise PlaceListError(
            place_list.path, place.within_line, f"place {place.name!r}: no region, state, country or place of the list "
            f"is called {place.within!r}" + (f" (closest: {close})" if close else ""),
            "name the area the place lies in as `geo resolve` finds it (e.g. Texas, Ill., FR), or remove `within:`",
        )  # fmt: skip
    return tuple(found)


def _list_area(place: Place, gazetteer: Gazetteer) -> list[Match]:
    """A place of the list as an area: its record, the outline or disc it gives, or what its name looks up."""
    placement = place.placement
    shape: BaseGeometry | None = None
    if isinstance(placement, Ref):
        record = gazetteer.record(placement.ref)
        return [gazetteer.complete(record)] if record is not None else []
    if isinstance(placement, PolygonPlacement):
        shape = Polygon([(lon, lat) for lat, lon in placement.vertices]).buffer(0)
    elif isinstance(placement, Area) and placement.center is not None:
        shape = geometry.circle(placement.center, placement.radius_km)
    elif isinstance(placement, PointPlacement):
        shape = Point(placement.latlon[1], placement.latlon[0])
    elif isinstance(placement, (Lookup, Area)):
        return areas(gazetteer, place.name, any_kind=True)
    if shape is None:  # a relative position or a zone: computed after the look-ups
        return []
    anchor = shape.representative_point()
    polygonal = shape if isinstance(shape, (Polygon, MultiPolygon)) else None
    return [Match(place.name, anchor.y, anchor.x, place.kind, place.country, "list", place.name, 100.0,
                  geometry=polygonal)]  # fmt: skip


def _resolve_place(place: Place, refs: dict[str, Resolved], place_list: PlaceList, gazetteer: Gazetteer,
                   ranked: list[Match]) -> Resolved:  # fmt: skip
    placement = place.placement

    def made(shape: BaseGeometry, anchor: LatLon, origin: str, match: Match | None = None) -> Resolved:
        """The place as resolved; its confidence is its match's, else the least of its references' (1 for none)."""
        precision = place.precision or "exact"
        radius = place.radius_km
        if place.precision is None and match is not None and match.radius_km and shape is not match.geometry:
            # A disc of the place's area stands in for a shape the gazetteer lacks: its radius is the uncertainty.
            precision, radius = "approximate", match.radius_km
        sure = match.confidence if match is not None else min((r.confidence for r in refs.values()), default=1.0)
        others = tuple(m for m in ranked if m.ref != match.ref)[:ALTERNATIVES] if match is not None else ()
        return Resolved(place, shape, anchor, precision, radius, origin, match, 1.0 if place.checked else sure, others)

    if isinstance(placement, PointPlacement):
        lat, lon = placement.latlon
        return made(Point(lon, lat), placement.latlon, "given in the place list")
    if isinstance(placement, Line):
        return made(_line(placement.vertices), placement.vertices[len(placement.vertices) // 2], "given in the place list")
    if isinstance(placement, PolygonPlacement):
        shape = orient(Polygon([(lon, lat) for lat, lon in placement.vertices]), 1.0)
        if not shape.is_valid:
            raise _Unresolved(f"has an outline that {geometry.invalidity(shape)}; list its vertices in order around the area")
        return made(shape, _latlon(shape.representative_point()), "given in the place list")
    if isinstance(placement, Relative):
        ref = refs[_only(refs)]
        start = ref.anchor
        distance = placement.distance_km
        how = ref.measured_from(placement.measure_from)
        if how == "edge":
            if ref.extent is None:
                raise _Unresolved(
                    f"is placed from the edge of {ref.place.name!r}, which has no area; "
                    f"give {ref.place.name!r} an `area:` or measure from its centre"
                )
            start = geometry.exit_point(ref.anchor, placement.bearing_deg, ref.body)
        lat, lon = geometry.destination(start, placement.bearing_deg, distance)
        origin = f"{distance:g} km at {placement.bearing_deg:g}° from the {how} of {ref.place.name}"
        return made(Point(lon, lat), (lat, lon), origin)
    if isinstance(placement, Zone):
        ref = refs[_only(refs)]
        shape = geometry.buffer(ref.geometry, placement.radius_km)
        origin = f"geodesic buffer of {placement.radius_km:g} km around {ref.place.name}"
        if placement.clip:
            from geo.gazetteer.countries import clip_to_country

            try:
                shape = clip_to_country(shape, placement.clip)
            except ResolutionError as exc:
                raise _Unresolved(str(exc)) from None
            origin += f", its part in {placement.clip} (Natural Earth)"
        return made(shape, ref.anchor, origin)
    if isinstance(placement, Area):
        if placement.center is not None:
            center, origin, match = placement.center, "given in the place list", None
        else:
            match = _chosen(place, ranked, gazetteer)
            center, origin = (match.lat, match.lon), _provenance(match)
        how = f"{placement.km2:g} km²" if placement.km2 else f"radius {placement.radius_km:g} km"
        circle = geometry.circle(center, placement.radius_km)
        return made(circle, center, f"{origin}; area of {how}", match)
    if isinstance(placement, Ref):
        match = _by_reference(place, placement, place_list, gazetteer, ranked)
    else:
        assert isinstance(placement, Lookup)
        match = _chosen(place, ranked, gazetteer)
    shape = match.geometry if match.geometry is not None else Point(match.lon, match.lat)
    origin = _provenance(match)
    if isinstance(shape, (Polygon, MultiPolygon)) and match.radius_km:
        origin += f"; its area, {_km2(match.radius_km)} km²"
    return made(shape, (match.lat, match.lon), origin, match)


def _km2(radius_km: float) -> str:
    """The area of a disc of ``radius_km`` (a gazetteer's area in km²), as people write it: 17,098,242."""
    return f"{math.pi * radius_km**2:,.0f}"


def _chosen(place: Place, ranked: list[Match], gazetteer: Gazetteer) -> Match:
    """The gazetteer's best match for a looked-up place, or why there is none."""
    if ranked:
        return gazetteer.complete(ranked[0])
    if place.within is not None:
        outside = tuple(gazetteer.ranked(place.name, Context(place.country))[:3])
        if outside:
            elsewhere = ", ".join(f"{m.name} ({m.country or '-'}, {m.kind})" for m in outside)
            raise _Unresolved(
                f"lies within {place.within!r} (line {place.within_line}), where no place has this name "
                f"(elsewhere: {elsewhere}); fix `within:`, or give it a `point:`",
                outside,
            )
    suggestions = tuple(gazetteer.suggest(place.name))
    close = f" (closest: {', '.join(f'{m.name}, {m.country or m.kind}' for m in suggestions)})" if suggestions else ""
    raise _Unresolved(
        f"no gazetteer knows this name{close}; give it a `point:`, a `ref:` from `geo resolve`, "
        "or add the spelling a gazetteer uses as an alias",
        suggestions,
    )


def _by_reference(place: Place, placement: Ref, place_list: PlaceList, gazetteer: Gazetteer,
                  ranked: list[Match]) -> Match:  # fmt: skip
    """The record a ``ref:`` names, and how sure it is.

    The record the gazetteer itself ranks first for the place's names keeps that
    confidence: a draft's pick stays a guess until a person marks it ``checked: true``.
    Any other record was chosen by a person (fixing a wrong pick is replacing one
    reference) and is taken as given.
    """
    record = gazetteer.record(placement.ref)
    if record is None:
        raise PlaceListError(
            place_list.path, placement.line, f"place {place.name!r}: no gazetteer has the record {placement.ref!r}",
            f"`geo resolve {place.name!r} --candidates 5` lists the records of the name",
        )  # fmt: skip
    if place.within is not None and not any(inside(record, area) for area in _areas(place, place_list, gazetteer)):
        raise _Unresolved(
            f"has the `ref:` {record.ref} ({record.name}, {record.country or record.kind}), which does not lie within "
            f"{place.within!r} (line {place.within_line}); fix `within:`, or replace the `ref:` with one that "
            f"`geo resolve {place.name + ', ' + place.within!r} --candidates 5` lists"
        )
    if ranked and ranked[0].ref == record.ref:
        return replace(record, score=ranked[0].score, confidence=ranked[0].confidence)
    return record


def _provenance(match: Match) -> str:
    return f"{match.source} {match.id} ({match.name})"


def _only(refs: dict[str, Resolved]) -> str:
    (name,) = refs
    return name


def _line(vertices: tuple[LatLon, ...]) -> LineString:
    return LineString([(lon, lat) for lat, lon in vertices])


def _latlon(point: Point) -> LatLon:
    return (point.y, point.x)


def measure(resolution: Resolution) -> Iterator[Measured]:
    """Each stated distance of the list beside the distance the geometry gives."""
    for item in resolution.resolved:
        for check in item.place.checks:
            ref = next((r for r in resolution.resolved if check.of.casefold() in _names(r.place)), None)
            if ref is None:
                continue
            how = ref.measured_from(check.measure_from)
            if how == "edge" and ref.extent is not None:
                measured = geometry.distance_to_edge_km(item.anchor, ref.extent)
            else:
                how, measured = "centre", geometry.distance_km(item.anchor, ref.anchor)
            yield Measured(item.place, check.says, check.distance_km, measured, ref.place.name, how)


def _names(place: Place) -> set[str]:
    return {n.casefold() for n in (place.name, *place.aliases)}
