"""Geodesic constructions on the WGS 84 ellipsoid, as shapely geometries.

Distances are true geodesic distances (geographiclib, Karney's algorithms), not
Mercator or spherical approximations: a 55 km zone is 55 km in every direction.
Inputs are (lat, lon) as in the place list; shapely geometries are (lon, lat) as
in GeoJSON.
"""

from __future__ import annotations

from geographiclib.geodesic import Geodesic
from shapely.geometry import Point, Polygon
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient
from shapely.ops import unary_union

WGS84 = Geodesic.WGS84
LatLon = tuple[float, float]
CIRCLE_VERTICES = 128


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


def circle(center: LatLon, radius_km: float, vertices: int = CIRCLE_VERTICES) -> Polygon:
    """A geodesic circle as a counter-clockwise polygon: every vertex is ``radius_km`` from ``center``."""
    # Walk clockwise by bearing, then reverse, so the ring is counter-clockwise in (lon, lat).
    ring = [destination(center, 360.0 * i / vertices, radius_km) for i in range(vertices)]
    return Polygon([(lon, lat) for lat, lon in reversed(ring)])


def buffer(geometry: BaseGeometry, radius_km: float) -> Polygon:
    """A geodesic buffer: the points within ``radius_km`` of ``geometry``.

    A point gives a geodesic circle. For a line or polygon it is the union of geodesic
    circles around its densified vertices (and the polygon itself), which is exact at
    the vertices and within a fraction of the vertex spacing elsewhere.
    """
    if isinstance(geometry, Point):
        return circle((geometry.y, geometry.x), radius_km)
    step_deg = max(radius_km / 111.0 / 4, 0.001)
    dense = geometry.segmentize(step_deg)
    boundary = dense.exterior.coords if isinstance(dense, Polygon) else dense.coords
    discs = [circle((lat, lon), radius_km, vertices=64) for lon, lat in boundary]
    return orient(unary_union([*discs, geometry]).buffer(0), 1.0)


def area_km2(polygon: Polygon) -> float:
    """Geodesic area of a polygon's outer ring, in km²."""
    shape = WGS84.Polygon()
    for lon, lat in polygon.exterior.coords[:-1]:
        shape.AddPoint(lat, lon)
    _, _, area = shape.Compute(reverse=False, sign=False)
    return abs(area) / 1e6


def exit_point(start: LatLon, bearing: float, area: Polygon) -> LatLon:
    """Where a geodesic leaving ``start`` at ``bearing`` last leaves ``area``.

    Coarse steps find the last step that is inside; bisection then pins the edge
    to within a centimetre.
    """
    reach_km = max(distance_km(start, (lat, lon)) for lon, lat in area.exterior.coords) + 0.1
    line = WGS84.DirectLine(start[0], start[1], bearing, reach_km * 1000.0)

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


def distance_to_edge_km(point: LatLon, area: Polygon) -> float:
    """Geodesic distance from ``point`` to the nearest point of ``area``'s edge."""
    dense = area.exterior.segmentize(0.002)
    return min(distance_km(point, (lat, lon)) for lon, lat in dense.coords)
