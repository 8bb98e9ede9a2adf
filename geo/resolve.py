"""From a place list to geometries: each place's placement is resolved to a shapely shape.

Places are resolved in dependency order, so a place may refer to one defined later
in the file. A place that cannot be resolved (an unknown name) is reported as a
:class:`Problem` rather than raised, so that one bad name never empties the map;
the places that depend on it are reported too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from shapely.geometry import LineString, MultiPolygon, Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from geo import geometry
from geo.errors import ResolutionError
from geo.gazetteer import Gazetteer, Match, Peer, peers_of
from geo.placelist import Area, Line, Lookup, Place, PlaceList, Relative, Zone
from geo.placelist import Point as PointPlacement
from geo.placelist import Polygon as PolygonPlacement

LatLon = tuple[float, float]


@dataclass(frozen=True)
class Resolved:
    """A place with its geometry, in (lon, lat), and how that geometry was obtained."""

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

    @property
    def extent(self) -> Polygon | None:
        """The area the place covers, when it covers one (for "from its edge")."""
        return self.geometry if isinstance(self.geometry, (Polygon, MultiPolygon)) else None


@dataclass(frozen=True)
class Problem:
    place: Place
    message: str


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


def resolve(place_list: PlaceList, gazetteer: Gazetteer) -> Resolution:
    """Resolve every place of the list; order follows the file."""
    index = place_list.by_name()
    done: dict[str, Resolved] = {}
    failed: dict[str, Problem] = {}
    context = _context(place_list, gazetteer)

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
            done[place.name] = _resolve_place(place, refs_done, place_list, gazetteer, context)
        except _Unresolved as exc:
            failed[place.name] = Problem(place, str(exc))

    for place in place_list.in_dependency_order():  # so visit() never recurses deeper than one level
        visit(place)
    return Resolution(
        resolved=tuple(done[p.name] for p in place_list.places if p.name in done),
        problems=tuple(failed[p.name] for p in place_list.places if p.name in failed),
    )


class _Unresolved(Exception):
    pass


@dataclass(frozen=True)
class _Context:
    """What ranks gazetteer matches: a list about Raqqa means the Mosul in Iraq."""

    near: tuple[LatLon, ...]
    """The points the file pins down: firm."""
    peers: dict[str, Peer]
    """The best places of the names to look up, resolved together: soft."""

    def peers_for(self, name: str) -> list[Peer]:
        return [peer for other, peer in self.peers.items() if other != name]


def _context(place_list: PlaceList, gazetteer: Gazetteer) -> _Context:
    places = place_list.places
    near = tuple(p.placement.latlon for p in places if isinstance(p.placement, PointPlacement)) + tuple(
        p.placement.center for p in places if isinstance(p.placement, Area) and p.placement.center
    )
    looked_up = [p.name for p in places if isinstance(p.placement, Lookup) or (isinstance(p.placement, Area) and not p.placement.center)]
    return _Context(near, peers_of(gazetteer, looked_up, country=place_list.country, near=near) if len(looked_up) > 1 else {})


def _resolve_place(
    place: Place,
    refs: dict[str, Resolved],
    place_list: PlaceList,
    gazetteer: Gazetteer,
    context: _Context,
) -> Resolved:
    placement = place.placement

    def made(shape: BaseGeometry, anchor: LatLon, origin: str, match: Match | None = None) -> Resolved:
        precision = place.precision or "exact"
        radius = place.radius_km
        if place.precision is None and match is not None and match.radius_km:
            precision, radius = "approximate", match.radius_km
        return Resolved(place, shape, anchor, precision, radius, origin, match)

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
        how = "centre"
        if placement.measure_from == "edge":
            if ref.extent is None:
                raise _Unresolved(
                    f"is placed from the edge of {ref.place.name!r}, which has no area; "
                    f"give {ref.place.name!r} an `area:` or measure from its centre"
                )
            start = geometry.exit_point(ref.anchor, placement.bearing_deg, ref.extent)
            how = "edge"
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
            match = _lookup(place, place_list, gazetteer, context)
            center, origin = (match.lat, match.lon), _provenance(match)
        how = f"{placement.km2:g} km²" if placement.km2 else f"radius {placement.radius_km:g} km"
        return made(geometry.circle(center, placement.radius_km), center, f"{origin}; area of {how}", match)
    assert isinstance(placement, Lookup)
    match = _lookup(place, place_list, gazetteer, context)
    shape = match.geometry if match.geometry is not None else Point(match.lon, match.lat)
    return made(shape, (match.lat, match.lon), _provenance(match), match)


def _lookup(place: Place, place_list: PlaceList, gazetteer: Gazetteer, context: _Context) -> Match:
    country = place.country or place_list.country
    for name in (place.name, *place.aliases):
        found = gazetteer.lookup(name, country=country, near=context.near, peers=context.peers_for(place.name))
        if found:
            return found[0]
    raise _Unresolved("no gazetteer knows this name; give it a `point:` or add the spelling a gazetteer uses as an alias")


def _provenance(match: Match) -> str:
    return f"{match.source} {match.id} ({match.name}, score {match.score:.0f})"


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
            if check.measure_from == "edge" and ref.extent is not None:
                measured = geometry.distance_to_edge_km(item.anchor, ref.extent)
            else:
                measured = geometry.distance_km(item.anchor, ref.anchor)
            yield Measured(item.place, check.says, check.distance_km, measured, ref.place.name, check.measure_from)


def _names(place: Place) -> set[str]:
    return {n.casefold() for n in (place.name, *place.aliases)}
