"""The public Python API: ``geo.load``, ``geo.extract``, ``geo.lookup`` and :class:`Story`.

The command line is a thin layer over these functions. Heavy modules (the
gazetteer, shapely, folium, the extractor) are imported when a function needs
them, so ``import geo`` stays fast. Examples run as doctests from the project's
root, where ``places.yaml`` lives:

>>> import geo
>>> story = geo.load("places.yaml")
>>> len(story.places)
21
>>> raqqa = story.place("Raqqa")
>>> raqqa.kind, round(raqqa.lat, 2), round(raqqa.lon, 2)
('city', 35.95, 39.01)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from geo.errors import GeoError, OutputError, ResolutionError

if TYPE_CHECKING:
    import folium
    from shapely.geometry.base import BaseGeometry

    from geo.extract import Extraction, Extractor
    from geo.gazetteer import Gazetteer, Match
    from geo.placelist import PlaceList
    from geo.resolve import Resolution, Resolved

__all__ = ["Place", "Problem", "Story", "extract", "load", "lookup"]

LatLon = tuple[float, float]
PLACEMENT_KEYS = ("point", "line", "polygon", "area", "ref", "relative", "zone")
"""The keys of an entry that say where the place is: an entry has one."""


class OptionalPackageError(GeoError, ImportError):
    """A feature needs a package geo does not depend on; the message says how to install it."""


@dataclass(frozen=True)
class Place:
    """A resolved place: where it is, what it is, and how sure geo is of it.

    ``lat``/``lon`` are where its marker goes; ``geometry`` is its shapely shape in
    (lon, lat), a point, a line or an area. ``ref`` is the gazetteer record it was
    placed from (e.g. ``geonames:172955``), None when the place list gives or computes it.
    """

    name: str
    kind: str
    layer: str
    """The title of its layer, as the map's layer control shows it."""
    lat: float
    lon: float
    geometry: BaseGeometry
    precision: Literal["exact", "approximate"]
    radius_km: float | None
    """The uncertainty radius of an approximate place."""
    confidence: float
    """1 for what the list gives or a person checked; below 0.6 the place is a guess."""
    ref: str | None
    origin: str
    """Where the coordinates came from, in words."""
    line: int
    """Its line in the place list."""

    @property
    def unverified(self) -> bool:
        """A guess: drawn apart on the map, refused by ``strict``."""
        from geo.gazetteer import CONFIDENT

        return self.confidence < CONFIDENT


@dataclass(frozen=True)
class Problem:
    """A place that cannot be placed (left off the map) or whose placement is a guess (unverified).

    ``str()`` is the message the command line warns with: file, line, place and the fix.
    """

    name: str
    line: int
    kind: Literal["not placed", "unverified"]
    message: str

    @property
    def consequence(self) -> str:
        return "it is left off the map" if self.kind == "not placed" else "it is drawn as unverified"

    def __str__(self) -> str:
        return self.message


class Story:
    """A place list resolved to geometries: its places, its problems, its map and its exports.

    Made by :func:`load` or :func:`extract`. In Jupyter a story shows its map inline.
    ``__geo_interface__`` makes it readable by shapely, geopandas
    (``GeoDataFrame.from_features(story)``) and other libraries:

    >>> from shapely.geometry import shape
    >>> story = load("places.yaml")
    >>> raqqa = story.__geo_interface__["features"][0]
    >>> raqqa["properties"]["name"], shape(raqqa["geometry"]).geom_type
    ('Raqqa', 'Polygon')
    """

    def __init__(self, text: str | Callable[[], str], gazetteer: Gazetteer, *, path: Path | str = "<text>",
                 place_list: PlaceList | None = None, article: str | None = None,
                 extraction: Extraction | None = None) -> None:  # fmt: skip
        self.article = article
        """The article's text, when known: popups quote the sentences that name each place."""
        self.extraction = extraction
        """For a draft, what the extractor found (geo.extract.Extraction): internal."""
        self._text = text
        self._path = Path(path)
        self._gazetteer = gazetteer
        if place_list is not None:
            self.place_list = place_list

    @cached_property
    def place_list(self) -> PlaceList:
        """The checked place list (geo.placelist.PlaceList): internal, its fields may change."""
        from geo import placelist

        return placelist.parse(self.to_yaml(), self._path)

    @property
    def title(self) -> str:
        return self.place_list.title

    @cached_property
    def resolution(self) -> Resolution:
        """The places resolved (geo.resolve.Resolution): internal; :attr:`places` is the public view."""
        from geo.resolve import resolve

        return resolve(self.place_list, self._gazetteer)

    @cached_property
    def places(self) -> tuple[Place, ...]:
        """The places the map draws, in the order of the place list."""
        return tuple(_place(item, self.place_list) for item in self.resolution.resolved)

    @cached_property
    def problems(self) -> tuple[Problem, ...]:
        """Places left off the map, then places drawn as unverified guesses.

        >>> load("places.yaml").problems
        ()
        """
        path = self.place_list.path
        missing = tuple(
            Problem(p.place.name, p.place.line, "not placed", f"{path}:{p.place.line}: place {p.place.name!r} {p.message}")
            for p in self.resolution.problems
        )  # fmt: skip
        guesses = tuple(
            Problem(r.place.name, r.place.line, "unverified",
                    f"{path}:{r.place.line}: place {r.place.name!r} is unverified: {_why_unverified(r)}")
            for r in self.resolution.unverified
        )  # fmt: skip
        return missing + guesses

    def place(self, name: str) -> Place:
        """The place called ``name`` (or one of its aliases, any case).

        >>> load("places.yaml").place("raqa").name
        'Raqqa'
        """
        wanted = self.place_list.by_name().get(name.casefold())
        found = next((p for p in self.places if wanted is not None and p.name == wanted.name), None)
        if found is None:
            names = ", ".join(p.name for p in self.places[:5])
            raise KeyError(f"no place called {name!r} is on the map; its places include {names}")
        return found

    def move(self, name: str, lat: float, lon: float) -> Story:
        """A copy of the story in which place ``name`` is the point (lat, lon); places placed from it follow.

        The entry's ``point:`` replaces how it was placed; the rest of the place list,
        comments included, is unchanged (``save("places.yaml")`` writes it).

        >>> moved = load("places.yaml").move("Al-Tanaf garrison", 33.6, 38.7)
        >>> zone = moved.place("De-confliction zone")
        >>> zone.lat, zone.lon, zone.origin
        (33.6, 38.7, 'geodesic buffer of 55 km around Al-Tanaf garrison')
        """
        from geo import edit, placelist

        document = edit.parse(self.to_yaml().encode("utf-8"), self.place_list.path)

        def to_point(entry: Any) -> None:
            for key in PLACEMENT_KEYS:
                entry.pop(key, None)
            edit.set_key(entry, "point", edit.flow([float(lat), float(lon)]))

        text = edit.update(document, name, to_point)
        path = self.place_list.path
        return Story(text, self._gazetteer, path=path, place_list=placelist.parse(text, path), article=self.article)

    def map(self, *, cdn: bool = False) -> folium.Map:
        """The interactive map, as ``geo build`` writes it (``cdn``: load Leaflet from jsDelivr).

        >>> type(load("places.yaml").map()).__name__
        'StoryMap'
        """
        from geo import webmap

        return webmap.build(self.place_list, self.resolution, self.article, cdn=cdn)

    def to_html(self, *, cdn: bool = False) -> str:
        """The whole page ``geo build`` writes: it carries Leaflet, so it works offline (``cdn``: it loads it)."""
        from geo import webmap

        return webmap.render(self.place_list, self.resolution, self.article, cdn=cdn)

    def _repr_html_(self) -> str:
        """The map inline in Jupyter."""
        return self.map()._repr_html_()

    def __repr__(self) -> str:
        return f"<Story {self.title!r}: {len(self.places)} places, {len(self.problems)} problems>"

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        """The places as a GeoJSON FeatureCollection (a dict), as ``geo export`` writes it."""
        from geo import geojson

        return geojson.feature_collection(self.place_list, self.resolution)

    def to_geojson(self) -> str:
        """The RFC 7946 GeoJSON text ``geo export`` writes.

        >>> import json
        >>> len(json.loads(load("places.yaml").to_geojson())["features"])
        21
        """
        from geo import geojson

        return geojson.dumps(self.__geo_interface__)

    def to_kml(self) -> str:
        """The story as a KML document for Google Earth: a folder per layer, styles by kind (what ``geo export -o x.kml`` writes)."""
        from geo import kml

        return kml.dumps(self.place_list, self.resolution)

    def to_csv(self, *, bom: bool = False) -> str:
        """One row per place with its geometry as WKT; ``bom`` starts it with the byte-order mark a spreadsheet needs."""
        from geo import table

        return table.dumps(self.place_list, self.resolution, bom=bom)

    def render(self, file_format: str = "png", *, size: str = "social", bounds: str | None = None,
               tiles: str | None = None, warn: Callable[[str], None] = lambda message: None) -> bytes:
        """The map as a static PNG, SVG or PDF file's bytes (what ``geo render`` writes; needs geo's render extra).

        ``size`` is social, square, print or WIDTHxHEIGHT; ``bounds`` ("S,W,N,E") replaces the
        page's opening view; ``tiles`` (street, satellite, light or a URL template) draws tiles
        under the places when they can be fetched, else the offline basemap with a ``warn``.
        """
        render = _render_module()
        view = render.parse_bounds(bounds) if bounds else None
        return render.render(self.place_list, self.resolution, render.parse_size(size), file_format, view, tiles, warn)

    def to_geodataframe(self) -> Any:
        """The places as a geopandas GeoDataFrame (EPSG:4326); needs geopandas, which geo does not install."""
        try:
            import geopandas
        except ImportError:
            raise OptionalPackageError("to_geodataframe() needs geopandas; install it with `pip install geopandas`") from None
        return geopandas.GeoDataFrame.from_features(self, crs="EPSG:4326")

    def to_yaml(self) -> str:
        """The place list's text: the file as read (comments kept), or the draft ``geo extract`` writes."""
        if callable(self._text):
            self._text = self._text()  # a draft is written when first asked for: `geo extract --format jsonl` never is
        return self._text

    def save(self, path: Path | str, **options: Any) -> Path:
        """Write the story to ``path`` in the format its extension names (see :data:`WRITERS`); returns the path.

        ``options`` go to that format's writer (``cdn=True`` for .html). The file is
        replaced atomically: a failure leaves an earlier one as it was.

        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     saved = load("places.yaml").save(Path(folder) / "raqqa.geojson")
        ...     saved.read_text().startswith('{')
        True
        """
        path = Path(path)
        writer = WRITERS.get(path.suffix.lower())
        if writer is None:
            known = ", ".join(sorted(WRITERS))
            raise OutputError(f"{path}: geo cannot write {path.suffix or 'a file without an extension'}; "
                              f"give a path ending in one of {known}")  # fmt: skip
        writer(self, path, **options)
        return path


Writer = Callable[..., None]
"""Writes a story to a path: ``writer(story, path, **options)``."""


def _write_html(story: Story, path: Path, *, cdn: bool = False) -> None:
    from geo.output import write_atomic

    write_atomic(path, story.to_html(cdn=cdn))


def _write_yaml(story: Story, path: Path) -> None:
    from geo.output import write_atomic

    write_atomic(path, story.to_yaml())


def _write_geojson(story: Story, path: Path) -> None:
    from geo.output import write_atomic

    write_atomic(path, story.to_geojson())


def _write_kml(story: Story, path: Path) -> None:
    from geo.output import write_atomic

    write_atomic(path, story.to_kml())


def _write_csv(story: Story, path: Path) -> None:
    from geo.output import write_atomic

    write_atomic(path, story.to_csv(bom=True))


def _write_image(story: Story, path: Path, **options: Any) -> None:
    from geo.output import write_atomic

    write_atomic(path, story.render(path.suffix.lower().lstrip("."), **options))


def _render_module() -> Any:
    """:mod:`geo.render`, or the one-line error naming the extra that brings what it needs."""
    import importlib.util

    missing = [name for name in ("matplotlib", "pyproj") if importlib.util.find_spec(name) is None]
    if missing:
        raise OptionalPackageError(f"a static map needs {' and '.join(missing)}, from geo's render extra: "
                                   "pip install 'geo[render]'")  # fmt: skip
    from geo import render

    return render


WRITERS: dict[str, Writer] = {
    ".html": _write_html,
    ".htm": _write_html,
    ".geojson": _write_geojson,
    ".json": _write_geojson,
    ".kml": _write_kml,
    ".csv": _write_csv,
    ".png": _write_image,
    ".svg": _write_image,
    ".pdf": _write_image,
    ".yaml": _write_yaml,
    ".yml": _write_yaml,
}
"""File extension (lower case, with its dot) → the writer :meth:`Story.save` uses for it."""


def load(source: str | Path, *, strict: bool = False, online: bool | None = None,
         article: str | Path | None = None, gazetteer: Gazetteer | None = None) -> Story:  # fmt: skip
    """Read, check and resolve a place list: a path, or the YAML text itself.

    A :class:`~pathlib.Path`, or a string without a line break, is a path; a string
    with a line break is the YAML text. A file that cannot be read or checked raises
    :class:`geo.errors.PlaceListError` naming the file, the line and the fix. With
    ``strict``, a place that cannot be placed or is unverified raises
    :class:`geo.errors.ResolutionError`; otherwise it is listed in ``Story.problems``.
    ``online`` looks unknown names up online (None: as geo.toml says); ``gazetteer``
    replaces the offline index (and ``online``); ``article`` (its text, or a path) lets
    the map's popups quote it.

    >>> story = load("title: Two places\\nplaces:\\n  - name: Home\\n    point: [51.5, -0.12]\\n")
    >>> [(p.name, p.lat, p.lon) for p in story.places]
    [('Home', 51.5, -0.12)]
    >>> load("no-such-file.yaml")
    Traceback (most recent call last):
    geo.errors.PlaceListError: no-such-file.yaml: no such file; give the path of a place list, e.g. places.yaml
    """
    from geo import placelist

    path = Path(source) if isinstance(source, Path) or "\n" not in source else None
    if path is not None:
        place_list = placelist.load(path)
        text = path.read_text(encoding="utf-8")
    else:
        text = str(source)
        place_list = placelist.parse(text)
    if isinstance(article, Path):
        from geo.extract.text import read_article

        article = read_article(article)
    story = Story(text, gazetteer or _gazetteer(path, online), path=place_list.path, place_list=place_list,
                  article=article)  # fmt: skip
    if strict:
        _refuse_problems(story)
    return story


def _refuse_problems(story: Story) -> None:
    """Raise the first problem of the story as a :class:`ResolutionError` (``strict``)."""
    for problem in story.problems:
        raise ResolutionError(problem.message + (" (--strict)" if problem.kind == "unverified" else ""))


def extract(text: str, date: dt.date | None = None, *, title: str | None = None, source: str = "",
            gazetteer: Gazetteer | None = None) -> Story:  # fmt: skip
    """The draft place list of an article (plain text), resolved: what ``geo extract`` writes.

    ``date`` (the article's) turns weekday names into dates; ``title`` defaults to the
    article's first line; ``source`` (e.g. its file name) is named in the draft's header;
    ``gazetteer`` replaces the offline index.
    ``Story.to_yaml()`` is the draft, with review comments.

    >>> story = extract("Fighters entered Raqqa on Tuesday, 2 km north of the city.")
    >>> [p.name for p in story.places]
    ['Raqqa']
    """
    from geo.extract.draft import render

    extractor = _extractor(gazetteer)
    extraction = extractor.extract(text, date)
    draft = partial(render, extraction, source=source, title=title, extractor=extractor)
    return Story(draft, extractor.gazetteer, article=text, extraction=extraction)


def lookup(name: str, country: str | None = None, near: Sequence[str | LatLon] = (), candidates: int = 1, *,
           online: bool | None = None, gazetteer: Gazetteer | None = None) -> list[Match]:  # fmt: skip
    """The places ``name`` may mean, best first: what ``geo resolve`` prints.

    ``country`` (an ISO code) and ``near`` (place names, or (lat, lon) pairs) rank
    same-named places; an empty list means no gazetteer knows the name. A name in
    ``near`` that no gazetteer knows raises :class:`geo.errors.ResolutionError`. ``online``
    also asks an online geocoder (None: as geo.toml says); ``gazetteer`` replaces both.

    >>> match = lookup("Mosul", near=["Raqqa"])[0]
    >>> match.country, match.ref
    ('IQ', 'geonames:99072')
    """
    found_in = gazetteer or _gazetteer(None, online)
    return found_in.lookup(name, country=country, near=_points(found_in, near, country), candidates=candidates)


def _points(gazetteer: Gazetteer, near: Sequence[str | LatLon], country: str | None) -> tuple[LatLon, ...]:
    """Each ``near`` place as (lat, lon): a name is looked up, a pair taken as it is."""
    points = []
    for place in near:
        if not isinstance(place, str):
            points.append((float(place[0]), float(place[1])))
            continue
        found = gazetteer.lookup(place, country=country)
        if not found:
            raise ResolutionError(f"near place {place!r}: no gazetteer knows this name; give a place `geo resolve` finds")
        points.append((found[0].lat, found[0].lon))
    return tuple(points)


def _gazetteer(path: Path | None, online: bool | None) -> Gazetteer:
    """The offline index, then the online geocoder when ``online`` (or geo.toml's [online]) enables it."""
    import warnings

    from geo import online as online_lookup
    from geo.gazetteer import default_gazetteer

    settings = online_lookup.settings(path, online)
    return online_lookup.with_online(default_gazetteer(), settings, lambda message: warnings.warn(message, stacklevel=2))


def _extractor(gazetteer: Gazetteer | None) -> Extractor:
    """An extractor over ``gazetteer``; the default one is kept, with its look-ups, for the next article."""
    if gazetteer is not None:
        from geo.extract import Extractor

        return Extractor(gazetteer)
    return _default_extractor()


@cache
def _default_extractor() -> Extractor:
    from geo.extract import Extractor

    return Extractor()


def _place(item: Resolved, place_list: PlaceList) -> Place:
    lat, lon = item.anchor
    return Place(
        name=item.place.name, kind=item.place.kind, layer=place_list.layer(item.place.layer).title,
        lat=lat, lon=lon, geometry=item.geometry, precision=item.precision, radius_km=item.radius_km,
        confidence=item.confidence, ref=item.match.ref if item.match is not None else None, origin=item.origin,
        line=item.place.line,
    )  # fmt: skip


def _why_unverified(item: Resolved) -> str:
    """Why a placement is a guess, and how to settle it."""
    name = item.place.name
    return (f"{item.origin}; check it, then add `checked: true` to its entry, or pick another with "
            f"`geo pin {name!r} --ref` (`geo resolve {name!r} --candidates 5` lists them)")
