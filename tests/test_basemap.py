"""The offline basemap: derived once into the cache, cut to what a map shows, land and sea where they are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from geo import basemap

ROOT = Path(__file__).resolve().parent.parent


def _tier_shapes(tier: dict) -> tuple[list[shapely.Polygon], shapely.MultiLineString]:  # type: ignore[type-arg]
    """A tier's land polygons and border lines, decoded as the page decodes them."""
    units = tier["units"]

    def ring(values: list[int]) -> list[tuple[float, float]]:
        points, x, y = [], 0, 0
        for dx, dy in zip(values[::2], values[1::2]):
            x, y = x + dx, y + dy
            points.append((x / units, y / units))
        return points

    land = [shapely.Polygon(ring(rings[0]), [ring(r) for r in rings[1:]]) for rings in tier["land"]]
    borders = shapely.MultiLineString([ring(line) for line in tier["borders"]])
    return land, borders


def on_land(land: list[shapely.Polygon], lon: float, lat: float) -> bool:
    return any(polygon.covers(shapely.Point(lon, lat)) for polygon in land)


def test_the_basemap_of_a_syrian_story_puts_land_and_sea_where_they_are() -> None:
    base = basemap.tiers(everything=(33.0, 38.0, 36.5, 43.5), story=(35.8, 38.9, 36.1, 39.1))
    world, regional = json.loads(basemap.world_json()), base["tiers"]
    assert world["units"] == basemap.WORLD_UNITS and regional
    finest = regional[-1]
    assert finest["units"] == basemap.LEVELS[0][1]  # the story's own area at the finest level
    land, borders = _tier_shapes(finest)
    west, south, east, north = (v / finest["units"] for v in (finest["rect"][1], finest["rect"][0], finest["rect"][3], finest["rect"][2]))
    assert all(shapely.box(west, south, east, north).buffer(1e-6).covers(polygon) for polygon in land)  # cut to the view
    assert on_land(land, 39.01, 35.95)  # Raqqa
    world_land, _ = _tier_shapes(world)
    assert on_land(world_land, 39.01, 35.95) and not on_land(world_land, 34.5, 34.0)  # the sea south of Cyprus
    assert not on_land(world_land, -30.0, 40.0)  # the Atlantic
    region, _ = _tier_shapes(regional[0])
    assert not on_land(region, 35.0, 35.0)  # the sea between Cyprus and Syria, at the region's level
    # The Syria–Iraq border passes between Abu Kamal and Al-Qaim.
    assert borders.distance(shapely.Point(41.0, 34.42)) < 0.1
    assert sum(len(r) for rings in finest["land"] for r in rings) // 2 <= basemap.VERTEX_BUDGET
    towns = [town[2] for town in base["towns"]]
    assert "Ar Raqqah" in towns and "Damascus" in towns
    assert any(country[2] == "Syria" for country in base["countries"])
    assert "Natural Earth" in base["credit"] and "GeoNames" in base["credit"]


@pytest.mark.parametrize("rect", [(-85.0, -180.0, 85.0, 180.0), (60.0, 170.0, 72.0, 180.0), (-80.0, -60.0, -60.0, 20.0)])
def test_any_part_of_the_world_gets_a_basemap(rect: tuple[float, float, float, float]) -> None:
    base = basemap.tiers(everything=rect, story=rect)
    world = json.loads(basemap.world_json())
    assert world["land"] and len(basemap.world_json()) < 60_000  # the same on every page: kept small
    for tier in [world, *base["tiers"]]:
        _tier_shapes(tier)  # every ring decodes to a polygon
    assert rect[2] - rect[0] > 100 or base["tiers"]  # a region gets a finer tier than the world's


def test_the_basemap_is_derived_once_into_the_cache_directory(tmp_path: Path) -> None:
    """A fresh cache directory: the first build derives the basemap there, the next one reads it."""
    code = "from geo import basemap; basemap.tiers((35, 38, 37, 40), (35.9, 38.9, 36.0, 39.1)); print(basemap.derived_path())"
    env = dict(os.environ, GEO_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    first = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300, check=True)
    path = Path(first.stdout.strip())
    assert path.parent == tmp_path / "cache" and path.is_file()
    assert "deriving the offline basemap" in first.stderr
    assert list(path.parent.glob("*.tmp*")) == []  # written under another name, renamed into place
    second = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300, check=True)
    assert second.stderr == "" and Path(second.stdout.strip()) == path
    # Another format's file and a killed derivation's leftover go when the basemap is derived again.
    stale, leftover = path.with_name("basemap-0000000000000000.npz"), path.with_name(f"{path.stem}.tmp999999999.npz")
    stale.write_bytes(b"old"), leftover.write_bytes(b"half")
    path.unlink()
    subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300, check=True)
    assert sorted(path.parent.glob("basemap-*")) == [path]


def test_a_cache_directory_that_cannot_be_written_is_one_error_line(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    env = dict(os.environ, GEO_CACHE_DIR=str(blocker / "cache"), PYTHONPATH=str(ROOT))
    code = "from geo import basemap; basemap.derive(basemap.derived_path())"
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode != 0 and "CacheError: cannot write the offline basemap in" in run.stderr
    assert "deriving" not in run.stderr  # refused before the work, not after


def test_a_story_at_a_pole_beyond_the_maps_85_degrees_gets_a_basemap() -> None:
    base = basemap.tiers(everything=(-90.0, -0.06, 0.0, 0.06), story=(-90.0, -0.06, -89.9, 0.06))
    for tier in base["tiers"]:
        south, west, north, east = tier["rect"]
        assert south < north and west < east
        _tier_shapes(tier)
