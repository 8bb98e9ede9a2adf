"""Countries and first-level regions as areas: their outlines, their markers inside, and distances from their edges."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from gazetteer_fixture import use_test_index
from shapely.geometry import Point, shape

from geo import geometry
from geo.gazetteer.index import IndexGazetteer
from geo.placelist import load
from geo.resolve import resolve

ROOT = Path(__file__).resolve().parents[1]
MOSCOW, OTTAWA, EDMONTON, CALGARY = (55.7558, 37.6173), (45.4215, -75.6972), (53.5461, -113.4938), (51.0447, -114.0719)


@pytest.fixture(scope="module")
def gazetteer() -> IndexGazetteer:
    return IndexGazetteer(use_test_index(), build_if_needed=False)


def _inside(area, latlon: tuple[float, float]) -> bool:  # type: ignore[no-untyped-def]
    return area.contains(Point(latlon[1], latlon[0]))


@pytest.mark.parametrize(("name", "capital"), [("Russia", MOSCOW), ("Canada", OTTAWA)])
def test_a_country_is_its_outline_with_its_marker_inside(gazetteer: IndexGazetteer, name: str, capital: tuple[float, float]) -> None:
    country = gazetteer.lookup(name)[0]
    assert country.kind == "country"
    assert country.geometry is not None and country.geometry.geom_type == "MultiPolygon"
    assert _inside(country.geometry, capital)
    assert _inside(country.geometry, (country.lat, country.lon))


def test_a_state_is_its_extent_holding_its_towns(gazetteer: IndexGazetteer) -> None:
    alberta = gazetteer.lookup("Alberta", country="CA")[0]
    assert (alberta.kind, alberta.source) == ("admin1", "geonames-admin")
    assert alberta.geometry is not None
    assert _inside(alberta.geometry, EDMONTON) and _inside(alberta.geometry, CALGARY)
    assert _inside(alberta.geometry, (alberta.lat, alberta.lon))
    # Its extent is Alberta's size (661,848 km²), give or take the towns' sparse north, and it stays in Canada.
    assert 550_000 < geometry.area_km2(alberta.geometry) < 800_000
    assert not _inside(alberta.geometry, (47.6062, -122.3321))  # Seattle, across the border
    assert not _inside(alberta.geometry, (49.8951, -97.1384))  # Winnipeg, two provinces east


def test_the_distance_from_a_point_to_an_area_is_zero_inside(gazetteer: IndexGazetteer) -> None:
    russia = gazetteer.lookup("Russia")[0].geometry
    assert geometry.distance_to_area_km(MOSCOW, russia) == 0.0
    helsinki = (60.1699, 24.9384)  # the nearest Russian land is Gogland, an island 110 km east across the Gulf
    assert 100 < geometry.distance_to_area_km(helsinki, russia) < 120


PLACES = """\
title: Areas
places:
  - name: Russia
  - name: Alberta
    country: CA
  - name: Beyond Alberta
    relative: {of: Alberta, distance_km: 100, bearing: north}
  - name: From the middle of Alberta
    relative: {of: Alberta, distance_km: 100, bearing: north, from: centre}
  - name: Edmonton
    country: CA
  - name: North of Edmonton
    relative: {of: Edmonton, distance_km: 100, bearing: north}
"""


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("areas") / "places.yaml"
    path.write_text(PLACES, encoding="utf-8")
    return path


def test_a_distance_from_a_region_starts_at_its_edge_unless_the_list_says_centre(
    gazetteer: IndexGazetteer, places: Path
) -> None:
    resolved = resolve(load(places), gazetteer).by_name()
    alberta = resolved["Alberta"]
    beyond, middle = resolved["Beyond Alberta"].anchor, resolved["From the middle of Alberta"].anchor
    # 100 km beyond the point where the way north leaves Alberta: 100 km back south is its edge.
    assert not _inside(alberta.geometry, beyond)
    edge = geometry.destination(beyond, 180.0, 100.0)
    assert geometry.distance_to_edge_km(edge, alberta.geometry) < 0.1
    assert all(not _inside(alberta.geometry, geometry.destination(edge, 0.0, km)) for km in range(1, 100))
    assert "from the edge of Alberta" in resolved["Beyond Alberta"].origin
    assert _inside(alberta.geometry, middle)
    assert geometry.distance_km(alberta.anchor, middle) == pytest.approx(100, abs=0.01)
    # A town is a point: 100 km north of Edmonton is 100 km from its point.
    edmonton = resolved["Edmonton"].anchor
    assert geometry.distance_km(edmonton, resolved["North of Edmonton"].anchor) == pytest.approx(100, abs=0.01)


def geo(*args: str) -> subprocess.CompletedProcess[str]:
    use_test_index()  # sets GEO_CACHE_DIR for the process, which reads the same index
    return subprocess.run([sys.executable, "-m", "geo", *args], capture_output=True, text=True, timeout=120, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_check_says_a_country_is_an_outline_not_a_point_with_a_huge_radius(places: Path) -> None:
    result = geo("check", str(places))
    assert result.returncode == 0, result.stderr
    russia = next(line for line in result.stdout.splitlines() if line.startswith("Russia\t"))
    kind, _, precision, origin = russia.split("\t")[1:5]
    assert (kind, precision) == ("MultiPolygon", "outline")
    assert "±" not in russia and "its area, 17,100,000 km²" in origin


def _built_page_data(places: Path) -> dict:
    """The story data of the page a real `geo build` writes for ``places``."""
    out = places.parent / "map.html"
    result = geo("build", str(places), "-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="geo-story-data-[\w-]+">(.*?)</script>', page, re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))


def test_the_built_map_draws_a_country_as_a_polygon_with_its_marker_inside(places: Path) -> None:
    data = _built_page_data(places)
    drawn = {place["name"]: place for place in data["places"]}
    russia = drawn["Russia"]
    assert russia["geometry"]["type"] == "MultiPolygon" and russia["outline"] is True
    assert russia["uncertainty"] is None and russia["precision"] == "exact"  # no dashed circle of ±2,333 km
    outline = shape(russia["geometry"])
    assert outline.contains(Point(russia["anchor"][1], russia["anchor"][0]))
    assert outline.contains(Point(MOSCOW[1], MOSCOW[0]))
    assert drawn["Alberta"]["geometry"]["type"] == "Polygon"


def test_a_story_naming_a_country_is_framed_on_its_homeland(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text("title: A US story\nplaces:\n  - name: United States\n  - name: Chicago\n", encoding="utf-8")
    data = _built_page_data(places)
    south, west, north, east = data["all"]  # the opening view frames Chicago; "All" frames the country
    assert 24 < south < 26 and 49 < north < 50 and -126 < west < -124 and -68 < east < -66  # the contiguous US
    south, west, north, east = data["focus"]
    assert south < 41.88 < north and west < -87.63 < east and north - south < 1  # the story's city, not the country
    drawn = shape(data["places"][0]["geometry"])
    assert drawn.contains(Point(-149.9, 61.2)) and drawn.contains(Point(-157.8, 21.3))  # Anchorage, Honolulu: all drawn


def test_a_distance_from_a_country_leaves_its_homeland_not_an_overseas_part(gazetteer: IndexGazetteer) -> None:
    from geo.placelist import parse

    # The geodesic leaving France at 247° crosses French Guiana, 7,000 km away.
    listed = parse("title: T\nplaces:\n  - name: France\n  - name: Off France\n"
                   "    relative: {of: France, distance_km: 100, bearing: 247}\n")
    off = resolve(listed, gazetteer).by_name()["Off France"].anchor
    assert 44 < off[0] < 46 and -3 < off[1] < -2  # in the Bay of Biscay, not past French Guiana
