"""The offline basemap: derived once into the cache, cut to what a map shows, land and sea where they are."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
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


def _held(lock: Path) -> bool:
    """Whether a process holds the basemap's derivation lock."""
    if not lock.exists():
        return False
    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _wait_until(condition: Callable[[], bool], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.02)


def test_a_basemap_derived_in_the_background_is_waited_for_not_derived_again(tmp_path: Path) -> None:
    """The first map derives the basemap in another process while the gazetteer index is built; the page then uses it."""
    code = "from geo import basemap; basemap.derive_in_background(); input(); " \
           "basemap.tiers((35, 38, 37, 40), (35.9, 38.9, 36.0, 39.1)); print(basemap.derived_path())"
    env = dict(os.environ, GEO_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    _wait_until(lambda: _held(tmp_path / "cache" / "basemap.lock"))  # the other process is deriving it
    out, err = process.communicate("\n", timeout=300)
    assert process.returncode == 0, err
    assert "deriving" not in err  # this process waited for the other one's file
    path = Path(out.strip())
    assert path.is_file() and list(path.parent.glob("*.tmp*")) == []


def test_a_background_derivation_stops_with_the_process_that_started_it(tmp_path: Path) -> None:
    """A place list with an error ends the command at once: nothing is left running, nor half written."""
    cache = tmp_path / "cache"
    code = "import fcntl, os, sys, time; from geo import basemap; basemap.derive_in_background()\n" \
           "lock = basemap.derived_path().parent / 'basemap.lock'\n" \
           "while True:\n" \
           "    time.sleep(0.02)\n" \
           "    if not lock.exists(): continue\n" \
           "    fd = os.open(lock, os.O_RDONLY)\n" \
           "    try: fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\n" \
           "    except BlockingIOError: sys.exit(1)  # the derivation is under way\n" \
           "    finally: os.close(fd)\n"
    env = dict(os.environ, GEO_CACHE_DIR=str(cache), PYTHONPATH=str(ROOT))
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 1, run.stderr
    assert not _held(cache / "basemap.lock")
    assert list(cache.glob("basemap-*")) == []


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
