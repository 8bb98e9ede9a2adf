"""Geodesic constructions checked against pyproj's independent figures."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from pyproj import Geod

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
