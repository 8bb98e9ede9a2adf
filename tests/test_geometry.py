"""Geodesic constructions checked against pyproj's independent figures."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from pyproj import Geod

from shapely.geometry import Point

from geo import geometry, placelist
from geo.gazetteer import builtin
from geo.resolve import measure, resolve

GEOD = Geod(ellps="WGS84")
ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("bearing", [0, 45, 90, 180, 271.5])
@pytest.mark.parametrize("km", [0.5, 2, 55, 800])
def test_destination_lands_at_the_distance_and_bearing(bearing: float, km: float) -> None:
    lat, lon = geometry.destination((35.95283, 39.00788), bearing, km)
    azimuth, _, metres = GEOD.inv(39.00788, 35.95283, lon, lat)
    assert metres / 1000 == pytest.approx(km, rel=1e-3)
    assert (azimuth % 360) == pytest.approx(bearing % 360, abs=0.36)  # 0.1% of a turn


def test_the_zone_is_a_geodesic_circle_of_the_right_area() -> None:
    zone = geometry.circle((33.50583, 38.61778), 55)
    for lon, lat in zone.exterior.coords:
        _, _, metres = GEOD.inv(38.61778, 33.50583, lon, lat)
        assert metres / 1000 == pytest.approx(55, rel=1e-3)
    lons, lats = zone.exterior.coords.xy
    area, _ = GEOD.polygon_area_perimeter(lons, lats)
    assert area > 0, "counter-clockwise ring"
    assert abs(area) / 1e6 == pytest.approx(math.pi * 55**2, rel=0.01)
    assert geometry.area_km2(zone) == pytest.approx(abs(area) / 1e6, rel=0.001)


def test_placements_of_the_raqqa_list() -> None:
    resolved = resolve(placelist.load(ROOT / "places.yaml"), builtin())
    assert not resolved.problems
    by_name = resolved.by_name()
    raqqa = by_name["Raqqa"]
    assert geometry.area_km2(raqqa.extent) == pytest.approx(35, rel=0.01)
    # Division 17: 2 km north of the edge of Raqqa's 35 km² disc.
    base = by_name["Division 17 base"].anchor
    az, _, metres = GEOD.inv(raqqa.anchor[1], raqqa.anchor[0], base[1], base[0])
    assert metres / 1000 == pytest.approx(math.sqrt(35 / math.pi) + 2, rel=2e-3)
    assert az == pytest.approx(0, abs=0.01)
    # Heraqla: the article's "two kilometres from the city limits" against the geometry.
    (check,) = measure(resolved)
    heraqla = by_name["Heraqla"].anchor
    _, _, to_centre = GEOD.inv(raqqa.anchor[1], raqqa.anchor[0], heraqla[1], heraqla[0])
    assert to_centre / 1000 == pytest.approx(6.8, abs=0.1)
    assert check.measured_km == pytest.approx(to_centre / 1000 - math.sqrt(35 / math.pi), rel=0.01)
    zone = by_name["De-confliction zone"].geometry
    lons, lats = zone.exterior.coords.xy
    assert abs(GEOD.polygon_area_perimeter(lons, lats)[0]) / 1e6 == pytest.approx(math.pi * 55**2, rel=0.01)


def test_relative_from_the_edge_of_a_polygon() -> None:
    square = "[[0, 0], [0, 0.1], [0.1, 0.1], [0.1, 0]]"
    text = f"title: T\nplaces:\n  - name: A\n    polygon: {square}\n  - name: B\n    relative: {{of: A, distance_km: 1, bearing: east, from: edge}}\n"
    resolved = resolve(placelist.parse(text), builtin()).by_name()
    start = resolved["A"].anchor
    lat, lon = resolved["B"].anchor
    assert lon > 0.1
    _, _, metres = GEOD.inv(0.1, lat, lon, lat)
    assert metres / 1000 == pytest.approx(1, rel=2e-3)
    assert start[0] == pytest.approx(lat, abs=1e-3)


def test_buffer_of_a_line_covers_its_points_at_the_distance() -> None:
    from shapely.geometry import LineString, Point

    line = LineString([(38.0, 33.0), (39.0, 33.5)])
    zone = geometry.buffer(line, 10)
    assert zone.contains(Point(38.5, 33.25))
    lat, lon = geometry.destination((33.0, 38.0), 180, 9.5)
    assert zone.contains(Point(lon, lat))
    lat, lon = geometry.destination((33.0, 38.0), 180, 10.5)
    assert not zone.contains(Point(lon, lat))


def test_a_zone_clipped_to_syria_keeps_its_syrian_part() -> None:
    text = (ROOT / "places.yaml").read_text().replace(
        "      around: Al-Tanaf garrison\n      radius_km: 55\n",
        "      around: Al-Tanaf garrison\n      radius_km: 55\n      clip: SY\n",
    )
    zone = resolve(placelist.parse(text), builtin()).by_name()["De-confliction zone"]
    assert geometry.area_km2(zone.geometry) == pytest.approx(6950, rel=0.02)
    assert "its part in SY" in zone.origin


def reference_area_km2(center: tuple[float, float], km: float, vertices: int = 4096) -> float:
    """geographiclib's area of a fine geodesic polygon on the circle: it handles poles and the antimeridian itself."""
    ring = geometry.WGS84.Polygon()
    for i in range(vertices):
        lat, lon = geometry.destination(center, 360 * i / vertices, km)
        ring.AddPoint(lat, lon)
    return abs(ring.Compute(False, True)[2]) / 1e6


EDGES_OF_THE_MAP = [(89.9, 0.0), (-90.0, 0.0), (0.0, 179.9), (60.0, 180.0), (-45.0, -179.99), (35.95, 39.0)]


@pytest.mark.parametrize("center", EDGES_OF_THE_MAP)
@pytest.mark.parametrize("km", [55, 10000])
def test_circles_at_the_poles_and_the_antimeridian_are_valid_and_true(center: tuple[float, float], km: float) -> None:
    """The largest radius the format allows, where (lon, lat) shapes wrap: cut at ±180, closed along a pole."""
    circle = geometry.circle(center, km)
    assert circle.is_valid and circle.geom_type in ("Polygon", "MultiPolygon")
    minx, miny, maxx, maxy = circle.bounds
    assert -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90
    assert geometry.area_km2(circle) == pytest.approx(reference_area_km2(center, km), rel=2e-3)
    assert circle.covers(Point(center[1], center[0]))
    for bearing in (0, 90, 180, 271.5):
        edge = geometry.exit_point(center, bearing, circle)
        assert geometry.distance_km(center, edge) == pytest.approx(km, rel=1e-3)
    assert geometry.distance_to_edge_km(center, circle) == pytest.approx(km, rel=2e-3)


def test_a_circle_across_the_antimeridian_lies_on_both_sides() -> None:
    circle = geometry.circle((0.0, 179.9), 55)
    assert circle.geom_type == "MultiPolygon"
    assert circle.covers(Point(179.95, 0)) and circle.covers(Point(-179.8, 0)) and not circle.covers(Point(0, 0))


def test_a_circle_around_a_pole_covers_it() -> None:
    circle = geometry.circle((89.9, 0.0), 55)
    assert circle.covers(Point(123.0, 89.999)) and circle.covers(Point(-60.0, 89.6))
    assert not circle.covers(Point(180.0, 89.3))


@pytest.mark.parametrize("km2", [35, 1e6, 2.5e8])
def test_an_area_in_km2_gives_a_disc_of_that_area(km2: float) -> None:
    """Up to the largest the format allows (about a hemisphere): a spherical cap, not πr²."""
    disc = geometry.circle((35.95, 39.0), placelist.disc_radius_km(km2), vertices=512)
    assert geometry.area_km2(disc) == pytest.approx(km2, rel=1e-3)


@pytest.mark.parametrize(
    "coords",
    [
        [(179.0, 10.0), (179.9, 10.5), (-179.5, 11.0)],  # across the antimeridian
        [(0.0, 80.0), (0.0, 90.0), (180.0, 80.0)],  # over the north pole
        [(-179.0, 0.0), (179.0, 0.0)],  # round the world, as written
        [(38.0, 33.0), (38.0, 33.0)],  # one point twice
    ],
)
@pytest.mark.parametrize("km", [0.001, 55, 10000])
def test_buffers_of_lines_anywhere_are_valid_and_cover_the_line(coords: list[tuple[float, float]], km: float) -> None:
    from shapely.geometry import LineString

    zone = geometry.buffer(LineString(coords), km)
    assert zone.is_valid and not zone.is_empty
    minx, miny, maxx, maxy = zone.bounds
    assert -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90
    middles = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for a, b in zip(coords, coords[1:])]
    for lon, lat in coords + middles:
        assert zone.buffer(1e-9).covers(Point(lon, lat)), (lon, lat)


def test_a_buffer_of_a_split_or_polar_area_ignores_the_cuts() -> None:
    """Zones around zones: the cut along the antimeridian is no edge to buffer."""
    split = geometry.circle((0.0, 179.9), 55)
    zone = geometry.buffer(split, 10)
    assert zone.is_valid and geometry.area_km2(zone) == pytest.approx(math.pi * 65**2, rel=0.02)
    polar = geometry.buffer(geometry.circle((89.9, 0.0), 55), 10)
    assert polar.is_valid and geometry.area_km2(polar) == pytest.approx(math.pi * 65**2, rel=0.02)
