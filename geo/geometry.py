"""Geodesic constructions on the WGS 84 ellipsoid, as shapely geometries.

Distances are true geodesic distances (geographiclib, Karney's algorithms), not
Mercator or spherical approximations: a 55 km zone is 55 km in every direction.
Inputs are (lat, lon) as in the place list; shapely geometries are (lon, lat) as
in GeoJSON.

Shapes stay inside the (lon, lat) window [-180, 180] × [-90, 90], as GeoJSON asks: a
circle across the antimeridian is cut into a MultiPolygon, and one around a pole is
closed along the pole. The cuts are not edges of the place, and ``distance_to_edge_km``
ignores them. The place list bounds every radius at 10,000 km (a hemisphere), which
keeps every construction here quick.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import shapely
from geographiclib.geodesic import Geodesic
from shapely.affinity import translate
from shapely.geometry import MultiPolygon, Point, Polygon, box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

WGS84 = Geodesic.WGS84
LatLon = tuple[float, float]
LonLat = tuple[float, float]
Area = Polygon | MultiPolygon
CIRCLE_VERTICES = 128
MAX_DISCS = 512
"""Discs a buffer unions at most (≈3 ms each): a long line gets coarser steps, joined by hulls."""
EDGE_SAMPLES = 2000
"""Points of an edge that ``distance_to_edge_km`` and ``exit_point`` measure to, at most."""
WORLD = box(-180.0, -90.0, 180.0, 90.0)


def destination(origin: LatLon, bearing_deg: float, distance_km: float) -> LatLon:
    """The point ``distance_km`` from ``origin`` along the geodesic leaving at ``bearing_deg``."""
    result = WGS84.Direct(origin[0], origin[1], bearing_deg, distance_km * 1000.0)
    return (result["lat2"], result["lon2"])


def distance_km(a: LatLon, b: LatLon) -> float:
    """Geodesic distance between two points."""
    return WGS84.Inverse(a[0], a[1], b[0], b[1], Geodesic.DISTANCE)["s12"] / 1000.0


def bearing_deg(a: LatLon, b: LatLon) -> float:
    """Initial bearing (clockwise from north, 0-360) of the geodesic from ``a`` to ``b``."""
    return WGS84.Inverse(a[0], a[1], b[0], b[1], Geodesic.AZIMUTH)["azi1"] % 360.0


def circle(center: LatLon, radius_km: float, vertices: int = CIRCLE_VERTICES) -> Area:
    """A geodesic circle, counter-clockwise: every vertex is ``radius_km`` from ``center``.

    A Polygon, or a MultiPolygon when the circle crosses the antimeridian.
    """
    # Walk clockwise by bearing, then reverse, so the ring is counter-clockwise in (lon, lat).
    bearings = [360.0 * i / vertices for i in range(vertices + 1)]
    points = [destination(center, bearing, radius_km) for bearing in bearings]
    ring = points[:1]
    for a, b, p, q in zip(bearings, bearings[1:], points, points[1:]):
        ring += [*_between(center, radius_km, (a, p), (b, q)), q]
    return _in_world([(lon, lat) for lat, lon in reversed(ring[:-1])], pole=90.0 if center[0] >= 0 else -90.0)


def _between(
    center: LatLon, radius_km: float, start: tuple[float, LatLon], end: tuple[float, LatLon], depth: int = 0
) -> list[LatLon]:
    """Points of the circle between two (bearing, point) pairs, so that none are over 2° apart.

    Near a pole a few hundred km of circle span tens of degrees of longitude: a straight
    (lon, lat) edge there would stray far from the circle.
    """
    (a, p), (b, q) = start, end
    if depth == 8 or (abs(q[0] - p[0]) <= 2.0 and abs(_step(p[1], q[1])) <= 2.0):
        return []
    middle = ((a + b) / 2, destination(center, (a + b) / 2, radius_km))
    before, after = _between(center, radius_km, start, middle, depth + 1), _between(center, radius_km, middle, end, depth + 1)
    return [*before, middle[1], *after]


def _in_world(ring: list[LonLat], pole: float) -> Area:
    """A closed ring of longitudes in [-180, 180] as a valid shape of the world window.

    Consecutive vertices are joined the short way round. A ring that then winds once
    around the Earth encloses ``pole`` (the only one a circle of at most a hemisphere can
    hold) and is closed along it; one that reaches past ±180 is cut there.
    """
    if abs(_turn(ring)) > 180.0:
        return _valid(_polar_cap(ring, pole))
    unwrapped = [ring[0]]
    for lon, lat in ring[1:]:
        unwrapped.append((unwrapped[-1][0] + _step(unwrapped[-1][0], lon), lat))
    shape = Polygon(unwrapped)
    minx, _, maxx, _ = shape.bounds
    if -180.0 <= minx and maxx <= 180.0:
        return _valid(shape)
    return _valid(unary_union([translate(shape, xoff=360.0 * k).intersection(WORLD) for k in (-1, 0, 1)]))


def _step(a: float, b: float) -> float:
    """The step from longitude ``a`` to ``b`` taken the short way round, in [-180, 180)."""
    return (b - a + 180.0) % 360.0 - 180.0


def _turn(ring: list[LonLat]) -> float:
    """How far a closed ring turns in longitude, each step the short way: 0, or ±360 around a pole."""
    return sum(_step(a[0], b[0]) for a, b in zip(ring, ring[1:] + ring[:1]))


def _polar_cap(ring: list[LonLat], pole: float) -> Polygon:
    """A ring around ``pole``, cut where it crosses the antimeridian and closed along the pole."""
    if _turn(ring) < 0:
        ring = ring[::-1]  # eastward: longitudes increase along the ring
    n = len(ring)
    i = next(i for i in range(n) if ring[(i + 1) % n][0] - ring[i][0] < -180.0)  # where it crosses 180°
    (lon1, lat1), (lon2, lat2) = ring[i], ring[(i + 1) % n]
    lon2 += 360.0
    lat_cut = lat1 + (lat2 - lat1) * (180.0 - lon1) / (lon2 - lon1) if lon2 != lon1 else lat1
    around = ring[i + 1 :] + ring[: i + 1]
    return Polygon([(-180.0, lat_cut), *around, (180.0, lat_cut), (180.0, pole), (-180.0, pole)])


def _valid(shape: BaseGeometry) -> Area:
    """``shape`` as a valid Polygon or MultiPolygon, its outer rings counter-clockwise."""
    if not shape.is_valid:
        shape = shapely.make_valid(shape)
    polygons = list(_polygons(shape))
    if len(polygons) > 1:
        polygons = list(_polygons(unary_union(polygons)))
    polygons = [orient(polygon, 1.0) for polygon in polygons]
    if not polygons:
        return Polygon()
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _polygons(shape: BaseGeometry) -> Iterator[Polygon]:
    """The non-empty polygons of any geometry, collections included."""
    if isinstance(shape, Polygon):
        if not shape.is_empty:
            yield shape
    elif hasattr(shape, "geoms"):
        for part in shape.geoms:
            yield from _polygons(part)


def invalidity(outline: Polygon) -> str:
    """Why an outline a person wrote is not a valid polygon, in words and [lat, lon]."""
    reason = shapely.is_valid_reason(outline)
    where = re.search(r"\[(\S+) (\S+)\]", reason)
    at = f" at [{float(where[2]):.5f}, {float(where[1]):.5f}]" if where else ""
    return ("crosses itself" if shapely.make_valid(outline).area > 0 else "encloses no area") + at


def buffer(geometry: BaseGeometry, radius_km: float) -> Area:
    """A geodesic buffer: the points within ``radius_km`` of ``geometry``.

    A point gives a geodesic circle. For a line or polygon it is the union of geodesic
    circles around points along its outline (and the polygon itself), each pair of
    neighbours joined by their convex hull: exact at those points, and within a
    fraction of their spacing elsewhere.
    """
    if isinstance(geometry, Point):
        return circle((geometry.y, geometry.x), radius_km)
    chains = list(_chains(geometry))
    length_deg = sum(math.dist(a, b) for chain in chains for a, b in zip(chain, chain[1:]))
    step_deg = max(radius_km / 111.0 / 4, 0.001, length_deg / (MAX_DISCS / 2))
    pieces: list[BaseGeometry] = list(_polygons(geometry))
    for chain in chains:
        discs = [circle((lat, lon), radius_km, vertices=64) for lon, lat in _along(chain, step_deg)]
        pieces += discs
        pieces += [_hull(a, b) for a, b in zip(discs, discs[1:])]
    return _valid(unary_union([_valid(piece) for piece in pieces if not piece.is_empty]))


def _chains(geometry: BaseGeometry) -> Iterator[list[LonLat]]:
    """The vertices a buffer follows: each line, each point, and each polygon's edges between cuts."""
    for part in shapely.get_parts(geometry):
        if isinstance(part, Polygon):
            for ring in (part.exterior, *part.interiors):
                chain: list[LonLat] = []
                for a, b in _ring_edges(ring):
                    if not _is_cut(a, b):
                        chain = chain or [a]
                        chain.append(b)
                    elif chain:
                        yield chain
                        chain = []
                if chain:
                    yield chain
        elif part.geom_type == "GeometryCollection":
            yield from _chains(part)
        elif not part.is_empty:
            yield list(part.coords)


def _along(chain: list[LonLat], step_deg: float) -> list[LonLat]:
    """Points along ``chain`` at most ``step_deg`` apart: its vertices, but for those closer than half a step."""
    keep = max(1, math.ceil(len(chain) / (MAX_DISCS / 2)))
    vertices = chain[::keep] + ([chain[-1]] if (len(chain) - 1) % keep else [])
    step_deg = max(step_deg, sum(math.dist(a, b) for a, b in zip(vertices, vertices[1:])) / (MAX_DISCS / 2))
    points = vertices[:1]
    for a, b in zip(vertices, vertices[1:]):
        count = max(1, math.ceil(math.dist(a, b) / step_deg))
        between = [(a[0] + (b[0] - a[0]) * i / count, a[1] + (b[1] - a[1]) * i / count) for i in range(1, count + 1)]
        points += [point for point in between if math.dist(point, points[-1]) >= step_deg / 2 or point == vertices[-1]]
    return points


def _hull(a: Area, b: Area) -> BaseGeometry:
    """The convex hull of two neighbouring discs, which fills the gap between them.

    Longitudes are made continuous around the first disc (a disc cut at the antimeridian
    is whole again), and the hull is cut at ±180 once more. Empty for a disc around a
    pole, which spans every longitude.
    """
    parts = [*_polygons(a), *_polygons(b)]
    if not parts:
        return Polygon()
    x0 = parts[0].centroid.x
    hull = MultiPolygon([translate(part, xoff=360.0 * round((x0 - part.centroid.x) / 360.0)) for part in parts]).convex_hull
    minx, _, maxx, _ = hull.bounds
    if maxx - minx >= 180.0:
        return Polygon()
    if -180.0 <= minx and maxx <= 180.0:
        return hull
    return unary_union([translate(hull, xoff=360.0 * k).intersection(WORLD) for k in (-1, 0, 1)])


def area_km2(shape: Area) -> float:
    """Geodesic area of a polygon's outer rings, in km²."""
    total = 0.0
    for polygon in _polygons(shape):
        ring = WGS84.Polygon()
        for lon, lat in polygon.exterior.coords[:-1]:
            ring.AddPoint(lat, lon)
        total += abs(ring.Compute(reverse=False, sign=False)[2])
    return total / 1e6


def exit_point(start: LatLon, bearing: float, area: Area) -> LatLon:
    """Where a geodesic leaving ``start`` at ``bearing`` last leaves ``area``.

    Coarse steps find the last step that is inside; bisection then pins the edge
    to within a centimetre.
    """
    corners = [(lat, lon) for polygon in _polygons(area) for lon, lat in polygon.exterior.coords]
    if not corners:
        return start
    # Beyond the farthest corner, or the farthest any point can be when there are too many corners to measure.
    reach_km = max(distance_km(start, corner) for corner in corners) + 0.1 if len(corners) <= EDGE_SAMPLES else 20004.0
    line = WGS84.DirectLine(start[0], start[1], bearing, reach_km * 1000.0)
    shapely.prepare(area)

    def at(metres: float) -> tuple[float, float]:
        position = line.Position(metres)
        return (position["lat2"], position["lon2"])

    def inside(metres: float) -> bool:
        lat, lon = at(metres)
        return area.covers(Point(lon, lat))

    steps = 64
    step = line.s13 / steps
    last_inside = max((i for i in range(steps + 1) if inside(i * step)), default=None)
    if last_inside is None:
        return start
    low, high = last_inside * step, min((last_inside + 1) * step, line.s13)
    while high - low > 0.01:
        middle = (low + high) / 2
        low, high = (middle, high) if inside(middle) else (low, middle)
    return at(low)


def distance_to_edge_km(point: LatLon, area: Area) -> float:
    """Geodesic distance from ``point`` to the nearest point of ``area``'s edge.

    The edge is sampled every 0.002° (about 200 m; coarser for a vast area, at most
    2,000 samples), then the distance is refined around the nearest sample to about a metre.
    """
    lines = [shapely.LineString(chain) for chain in _chains(area) if len(chain) > 1]
    lines = lines or [polygon.exterior for polygon in _polygons(area)]  # nothing but cuts: measure to them
    if not lines:
        return 0.0
    step_deg = max(0.002, sum(line.length for line in lines) / EDGE_SAMPLES)

    def to(line: BaseGeometry, along: float) -> float:
        position = line.interpolate(along)
        return distance_km(point, (position.y, position.x))

    best = (math.inf, lines[0], 0.0)
    for line in lines:
        count = max(1, math.ceil(line.length / step_deg))
        alongs = [line.length * i / count for i in range(count + 1)]
        for along, (lon, lat) in zip(alongs, shapely.get_coordinates(shapely.line_interpolate_point(line, alongs))):
            km = distance_km(point, (lat, lon))
            if km < best[0]:
                best = (km, line, along)
    km, line, along = best
    low, high = max(0.0, along - step_deg), min(line.length, along + step_deg)
    while high - low > 1e-5:  # golden-section search
        left, right = high - (high - low) * 0.618, low + (high - low) * 0.618
        if to(line, left) < to(line, right):
            high = right
        else:
            low = left
    return min(km, to(line, (low + high) / 2))


def distance_to_area_km(point: LatLon, area: Area) -> float:
    """Geodesic distance from ``point`` to ``area``: 0 inside it, else to its nearest edge.

    How far a place is from a country or a region, as a reader means it: Moscow is 0 km
    from Russia.
    """
    if area.covers(Point(point[1], point[0])):
        return 0.0
    return distance_to_edge_km(point, area)


def parts_near(area: Area, point: LatLon, within_deg: float = 2.0) -> Area:
    """The part of ``area`` nearest ``point`` and the parts within ``within_deg`` of that part.

    A country's homeland: metropolitan France with Corsica, not French Guiana and Réunion.
    """
    parts = list(_polygons(area))
    if len(parts) < 2:
        return area
    home = min(parts, key=lambda part: part.distance(Point(point[1], point[0])))
    near = [part for part, gap in zip(parts, shapely.distance(parts, home)) if gap <= within_deg]
    return near[0] if len(near) == 1 else MultiPolygon(near)


def _ring_edges(ring: BaseGeometry) -> Iterator[tuple[LonLat, LonLat]]:
    coords = list(ring.coords)
    return zip(coords, coords[1:])


def _is_cut(a: LonLat, b: LonLat) -> bool:
    """An edge along the antimeridian or a pole: where :func:`_in_world` cut or closed a shape."""
    return (abs(a[0]) == 180.0 and a[0] == b[0]) or (abs(a[1]) == 90.0 and a[1] == b[1])
