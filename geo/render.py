"""Static maps for print and social (PNG, SVG, PDF), drawn with matplotlib in the page's cartography.

The render draws what the page opens on: the same data (:func:`geo.webmap.story_data`:
layers shown at start, opening view, labels, uncertainty circles), the same colours
and symbols by kind (:mod:`geo.style`), over an offline basemap, in Web Mercator as the
page is (pyproj). SVG keeps text as text and puts each layer in its own group, so a
graphics desk can edit the file; PDF embeds its font and keeps text as text. The same
input gives the same bytes: matplotlib's SVG ids are salted with a constant and no
file carries a date.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from shapely.geometry import box, shape
from shapely.geometry.base import BaseGeometry

from geo import style
from geo.errors import RenderError
from geo.tiles import EDGE_M, WORLD_M

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.path import Path as MplPath
    from matplotlib.text import Text
    from pyproj import Transformer

    from geo.placelist import PlaceList
    from geo.resolve import Resolution
    from geo.tiles import Mosaic

Bounds = tuple[float, float, float, float]
"""(south, west, north, east) in degrees, as the page's data has them."""

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
PT_PER_PX = 72 / 96
"""The page's sizes are CSS pixels (1/96 in); matplotlib's are points (1/72 in)."""
SEA, LAND, COAST, BORDER = "#b9d7ea", "#f4f1e8", "#6f9cba", "#8d7f99"
"""The offline basemap's colours, as story.css gives them (.geo-base-sea, -land, -coast, -border)."""
BASE_INK, COUNTRY_INK = "#5b5b5b", "#776b80"
"""Town and country names, as story.css's .geo-base-town and .geo-base-country."""
LABEL_INK, UNVERIFIED_INK = "#1b1b1b", "#8e0e3f"
FONT = "DejaVu Sans"
"""matplotlib's own font: present wherever matplotlib is, so every machine draws the same glyphs."""
PADDING_PX = (32, 80, 32, 56)
"""Room around the opening view (left, top, right, bottom), in CSS pixels: the page's 24 and the
room its controls take, here the title card above and the scale bar below."""
COUNTRY_MAX_ZOOM = 8
"""The page names countries up to this zoom; closer, towns speak for the place."""
MERCATOR_LAT = 85.0
MAX_SCALE_BAR_SPAN_DEG = 20.0
"""Degrees of latitude a map may span and still carry a scale bar (Mercator's scale varies 20 % over 20° at 40° N)."""
MAP_CREDIT = "Map: geo"
MARKER = "marker"
"""The label (matplotlib's, not the map's) that tells a place's marker among its artists."""


@dataclass(frozen=True)
class Size:
    width_px: int
    height_px: int
    dpi: int

    @property
    def inches(self) -> tuple[float, float]:
        return self.width_px / self.dpi, self.height_px / self.dpi


SIZES = {
    "social": Size(1200, 675, 100),
    "square": Size(1080, 1080, 100),
    "print": Size(3508, 2480, 300),  # A4 landscape, 297 × 210 mm at 300 dpi
}
MAX_PX = 12_000
"""A side longer than this (a poster at 300 dpi is 7,000 px) is a typing slip, not a map."""


def parse_size(text: str) -> Size:
    """``social``, ``square``, ``print`` or ``WxH`` in pixels (at 100 dpi)."""
    if text in SIZES:
        return SIZES[text]
    found = re.fullmatch(r"\s*(\d+)\s*[x×]\s*(\d+)\s*", text)
    if not found or not all(16 <= int(side) <= MAX_PX for side in found.groups()):
        raise RenderError(f"--size {text!r}: give social (1200×675), square (1080×1080), print (A4 at 300 dpi) "
                          f"or WIDTHxHEIGHT in pixels, each side 16 to {MAX_PX}, e.g. --size 1600x900")  # fmt: skip
    return Size(int(found.group(1)), int(found.group(2)), 100)


def parse_bounds(text: str) -> Bounds:
    """``south,west,north,east`` in degrees."""
    try:
        south, west, north, east = (float(part) for part in text.split(","))
    except ValueError:
        south = west = north = east = math.nan
    if not (-90 <= south < north <= 90 and -180 <= west < east <= 180):
        raise RenderError(f"--bounds {text!r}: give south,west,north,east in degrees, south below north and "
                          "west before east, e.g. --bounds 35.5,38.5,36.3,39.5")  # fmt: skip
    return (south, west, north, east)


# --- The basemap: swappable for the page's offline basemap --------------------------


@dataclass(frozen=True)
class Basemap:
    """What the map draws under the places, in (lon, lat)."""

    land: tuple[BaseGeometry, ...]
    coast: BaseGeometry | None
    borders: tuple[BaseGeometry, ...]
    countries: tuple[tuple[str, float, float], ...]
    """(name, lat, lon) of the countries to name, the first to keep its name first."""
    towns: tuple[tuple[str, float, float], ...]
    """(name, lat, lon) of the towns to name, the largest first."""
    credit: str


def page_basemap(view: Bounds, zoom: int) -> Basemap:
    """The page's offline basemap (:mod:`geo.basemap`) for ``view`` at web zoom ``zoom``: its finest
    tier around the view, or its world tier for a wider one, and the names the page shows at that zoom."""
    import json

    import numpy as np
    from shapely.geometry import LineString, MultiLineString, Polygon

    from geo import basemap

    found = basemap.tiers(view, view)
    tier = found["tiers"][-1] if found["tiers"] else json.loads(basemap.world_json())

    def decoded(values: list[int]) -> Any:
        return np.cumsum(np.asarray(values, dtype=np.int64).reshape(-1, 2), axis=0) / tier["units"]

    land = [Polygon(decoded(rings[0]), [decoded(ring) for ring in rings[1:]]) for rings in tier["land"]]
    coast = [run for rings in tier["land"] for ring in rings for run in _coast_runs(ring, tier, found["grid"])]
    south, west, north, east = view
    countries = [(name, lat, lon) for lat, lon, name, min_zoom in found["countries"]
                 if max(2, math.floor(min_zoom)) <= zoom <= COUNTRY_MAX_ZOOM and south < lat < north and west < lon < east]
    towns = [(name, lat, lon) for lat, lon, name, population in found["towns"]
             if _town_min_zoom(population) <= zoom and south < lat < north and west < lon < east]  # fmt: skip
    return Basemap(
        land=tuple(land),
        coast=MultiLineString(coast) if coast else None,
        borders=tuple(LineString(decoded(line)) for line in tier["borders"]),
        countries=tuple(countries),
        towns=tuple(towns),
        credit=re.sub(r"<[^>]+>", "", found["credit"]),
    )


def _coast_runs(ring: list[int], tier: dict[str, Any], grid_deg: int) -> list[list[tuple[float, float]]]:
    """A land ring's coast, in (lon, lat): the ring less its cuts along the basemap's grid and the
    tier's edges, which are seams of storage, not shores (story.js's coastRuns)."""
    units, (south, west, north, east) = tier["units"], tier["rect"]
    grid = grid_deg * units

    def cut(a: int, b: int, low: int, high: int) -> bool:
        return a == b and (a % grid == 0 or a in (low, high))

    runs: list[list[tuple[float, float]]] = []
    run: list[tuple[float, float]] = []
    x = y = 0
    for i in range(0, len(ring), 2):
        px, py = x, y
        x, y = x + ring[i], y + ring[i + 1]
        if i and (cut(px, x, west, east) or cut(py, y, south, north)):
            if len(run) > 1:
                runs.append(run)
            run = []
        run.append((x / units, y / units))
    if len(run) > 1:
        runs.append(run)
    return runs


def _town_min_zoom(population: int) -> int:
    """The zoom from which the page names a town of this population (story.js's townMinZoom)."""
    for least, zoom in ((5e6, 3), (1e6, 4), (3e5, 6), (1e5, 7), (5e4, 8), (1.5e4, 9)):
        if population >= least:
            return zoom
    return 10


BASEMAP: Callable[[Bounds, int], Basemap] = page_basemap


# --- Drawing ----------------------------------------------------------------------------


def render(
    place_list: PlaceList,
    resolution: Resolution,
    size: Size,
    file_format: str,
    bounds: Bounds | None = None,
    tiles: str | None = None,
    warn: Callable[[str], None] = lambda message: None,
) -> bytes:
    """The map as a PNG, SVG or PDF file's bytes; ``bounds`` replaces the page's opening view, and
    ``tiles`` (a page basemap or a URL template) the offline basemap when they can be fetched."""
    from geo.webmap import story_data

    data = story_data(place_list, resolution)
    frame = opening_frame(data, size, bounds)
    mosaic = _mosaic(tiles, frame, size, warn) if tiles else None
    with _rc():
        figure = draw(data, size, frame, mosaic)
        return _save(figure, size, file_format)


def _mosaic(name: str, frame: Frame, size: Size, warn: Callable[[str], None]) -> Mosaic | None:
    from geo import tiles

    try:
        source = tiles.source(name)
    except ValueError as exc:
        raise RenderError(f"--tiles {name!r}: {exc}") from None
    try:
        return tiles.mosaic(source, frame, web_zoom(frame, size))
    except tiles.TilesUnavailable as exc:
        warn(f"the tiles could not be loaded ({exc}); the offline basemap is drawn instead")
        return None


Frame = tuple[float, float, float, float]
"""(xmin, ymin, xmax, ymax) in Web Mercator metres: what the image shows."""


def opening_frame(data: dict[str, Any], size: Size, bounds: Bounds | None = None) -> Frame:
    """The page's opening view on an image of ``size``: ``bounds`` if given, else the list's centre and
    zoom, else the story's focus, framed as the page frames it (padded, no closer than its max zoom)."""
    if bounds is None and data["center"] and data["zoom"] is not None:
        x, y = _xy(*data["center"])
        half_w, half_h = (_metres_per_px(data["zoom"], size) * side / 2 for side in (size.width_px, size.height_px))
        return (x - half_w, y - half_h, x + half_w, y + half_h)
    south, west, north, east = bounds or data["focus"]
    x0, y0 = _xy(south, west)
    x1, y1 = _xy(north, east)
    left, top, right, bottom = (side / 96 * size.dpi for side in PADDING_PX)  # in image pixels
    scale = max((x1 - x0) / (size.width_px - left - right), (y1 - y0) / (size.height_px - top - bottom),
                _metres_per_px(data["maxZoom"], size))  # fmt: skip
    cx, cy = (x0 + x1) / 2 + scale * (right - left) / 2, (y0 + y1) / 2 + scale * (top - bottom) / 2
    half_w, half_h = scale * size.width_px / 2, scale * size.height_px / 2
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def _metres_per_px(zoom: float, size: Size) -> float:
    """Metres per image pixel at a web zoom level (whose pixels are CSS pixels, 1/96 in)."""
    return WORLD_M / (256 * 2**zoom) * 96 / size.dpi


def web_zoom(frame: Frame, size: Size) -> int:
    """The page's zoom level that shows as much as ``frame``: it chooses which names the basemap shows."""
    return math.floor(math.log2(WORLD_M / (256 * (frame[2] - frame[0]) / size.width_px * 96 / size.dpi)))


def draw(data: dict[str, Any], size: Size, frame: Frame, mosaic: Mosaic | None = None) -> Figure:
    """The whole map on a matplotlib figure: basemap, layers, labels, title, legend, scale bar, credits."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size.inches, dpi=size.dpi)
    FigureCanvasAgg(figure)  # measures text, for the labels
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_axis_off()
    axes.set_xlim(frame[0], frame[2])
    axes.set_ylim(frame[1], frame[3])
    axes.set_aspect("equal", adjustable="datalim")
    figure.patch.set_facecolor(SEA)
    points_per_metre = size.inches[0] * 72 / (frame[2] - frame[0])
    shown = {layer["id"] for layer in data["layers"] if layer["show"]}
    places = [place for place in data["places"] if place["layer"] in shown]

    if mosaic is None:
        basemap = BASEMAP(_lonlat_frame(frame), web_zoom(frame, size))
        _add(axes, "basemap", _basemap_artists(axes, basemap))
        credit = basemap.credit
    else:
        basemap = Basemap((), None, (), (), (), "")  # the tiles carry their own land and names
        _add(axes, "tiles", [axes.imshow(mosaic.image, extent=mosaic.extent, interpolation="bilinear", zorder=0.05)])
        axes.set_xlim(frame[0], frame[2])  # imshow sets the limits to the image's
        axes.set_ylim(frame[1], frame[3])
        credit = mosaic.credit
    markers: list[Artist] = []
    for layer in data["layers"]:
        members = [place for place in places if place["layer"] == layer["id"]]
        if members:
            artists = [a for p in members for a in _place_artists(axes, p, points_per_metre)]
            markers += [a for a in artists if a.get_label() == MARKER]
            _add(axes, f"layer-{layer['id']}", artists)
    in_view = box(*frame)
    furniture = {
        "title": _title(axes, data),
        "legend": _legend(axes, [p for p in places if _project(_drawn(p)).intersects(in_view)]),
        "scale-bar": _scale_bar(axes, frame, points_per_metre),
        "credits": [axes.text(0.995, 0.004, f"{credit} · {MAP_CREDIT}", transform=axes.transAxes, ha="right", va="bottom",
                              fontsize=7.5, color="#555555", zorder=8,
                              bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.8})],
    }  # fmt: skip
    renderer = figure.canvas.get_renderer()
    taken = [_extent(artist, renderer) for artists in furniture.values() for artist in artists]
    _add(axes, "labels", _story_labels(axes, places, taken))
    taken += [_extent(marker, renderer) for marker in markers]
    _add(axes, "basemap-labels", _keep_clear(axes, _basemap_labels(axes, basemap), taken))
    for gid, artists in furniture.items():
        _add(axes, gid, artists)
    return figure


@cache
def _to_mercator() -> Transformer:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)


@cache
def _from_mercator() -> Transformer:
    from pyproj import Transformer

    return Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)


def _project(geometry: BaseGeometry) -> BaseGeometry:
    import numpy as np
    import shapely

    def forward(coords: Any) -> Any:
        lat = np.clip(coords[:, 1], -MERCATOR_LAT, MERCATOR_LAT)
        return np.column_stack(_to_mercator().transform(coords[:, 0], lat))

    return shapely.transform(geometry, forward)


def _xy(lat: float, lon: float) -> tuple[float, float]:
    x, y = _to_mercator().transform(lon, max(-MERCATOR_LAT, min(MERCATOR_LAT, lat)))
    return float(x), float(y)


def _lonlat_frame(frame: tuple[float, float, float, float]) -> Bounds:
    """The frame in degrees; beyond the antimeridian pyproj would wrap, so x stops there."""
    x0, y0, x1, y1 = (max(-EDGE_M, min(EDGE_M, v)) for v in frame)
    west, south = _from_mercator().transform(x0, y0)
    east, north = _from_mercator().transform(x1, y1)
    return (float(south), float(west), float(north), float(east))


def _add(axes: Axes, gid: str, artists: Sequence[Artist]) -> None:
    """Move ``artists`` (already made on ``axes``) into one group, ``<g id="gid">`` in SVG, drawn in their place."""
    from matplotlib.artist import Artist

    if not artists:
        return
    for artist in artists:
        artist.remove()
        artist.set_figure(axes.figure)
        artist.axes = axes
        if artist.get_clip_on() and artist.get_transform() is axes.transData:
            artist.set_clip_path(axes.patch)
    members = sorted(artists, key=lambda a: a.get_zorder())

    class Group(Artist):
        def draw(self, renderer: Any) -> None:
            renderer.open_group(gid, gid=gid)
            for artist in members:
                artist.draw(renderer)
            renderer.close_group(gid)

    group = Group()
    group.set_zorder(members[0].get_zorder())
    axes.add_artist(group)
    group.set_clip_on(False)


def _path(geometry: BaseGeometry) -> MplPath:
    """A shapely (projected) polygon, line or collection as one matplotlib path, holes included."""
    from matplotlib.path import Path as MplPath

    parts: list[MplPath] = []
    for part in getattr(geometry, "geoms", [geometry]):
        if part.geom_type == "Polygon":
            for ring in (part.exterior, *part.interiors):
                parts.append(MplPath(list(ring.coords), closed=True))
        elif part.geom_type in ("LineString", "LinearRing"):
            parts.append(MplPath(list(part.coords)))
        elif part.geom_type.startswith("Multi") or part.geom_type == "GeometryCollection":
            parts.append(_path(part))
    return MplPath.make_compound_path(*parts) if parts else MplPath([[0, 0]], [MplPath.MOVETO])


def _basemap_artists(axes: Axes, basemap: Basemap) -> list[Artist]:
    """Land, coasts and borders as the page's offline basemap draws them."""
    from matplotlib.collections import PathCollection
    from matplotlib.patches import PathPatch

    artists: list[Artist] = []
    if basemap.land:
        artists.append(axes.add_collection(PathCollection(
            [_path(_project(land)) for land in basemap.land], facecolors=LAND, edgecolors="none", zorder=0.1)))  # fmt: skip
    if basemap.coast is not None and not basemap.coast.is_empty:
        artists.append(axes.add_patch(PathPatch(_path(_project(basemap.coast)), fill=False, edgecolor=COAST,
                                                linewidth=1 * PT_PER_PX, zorder=0.2)))  # fmt: skip
    if basemap.borders:
        artists.append(axes.add_collection(PathCollection(
            [_path(_project(line)) for line in basemap.borders], facecolors="none", edgecolors=BORDER,
            linewidths=1.2 * PT_PER_PX, linestyles=[_dash("6 3")], zorder=0.3)))  # fmt: skip
    return artists


def _basemap_labels(axes: Axes, basemap: Basemap) -> list[Text]:
    """Country names (capitals, letter-spaced) then town names, as the page writes them."""
    countries = [
        axes.text(*_xy(lat, lon), name.upper(), ha="center", va="center",
                  fontsize=11 * PT_PER_PX, color=COUNTRY_INK, zorder=0.5)
        for name, lat, lon in basemap.countries
    ]  # fmt: skip
    towns = [
        axes.annotate(f"• {name}", _xy(lat, lon), xytext=(-3 * PT_PER_PX, 0), textcoords="offset points", ha="left",
                      va="center", fontsize=11 * PT_PER_PX, color=BASE_INK, zorder=0.5)
        for name, lat, lon in basemap.towns
    ]  # fmt: skip
    return [*countries, *towns]


def _dash(css: str | None) -> Any:
    """A Leaflet dashArray ("4 4", in pixels) as a matplotlib line style."""
    if not css:
        return "solid"
    return (0, tuple(float(n) * PT_PER_PX for n in css.split()))


def _place_artists(axes: Axes, place: dict[str, Any], points_per_metre: float) -> list[Artist]:
    """The place as story.js draws it: uncertainty circle, line or shape, marker."""
    from matplotlib.patches import Circle, PathPatch

    colour = style.kind_style(place["kind"]).colour
    guess, approximate, kind = place["unverified"], place["precision"] == "approximate", place["kind"]
    ink = style.unverified_colour() if guess else colour
    geometry = shape(place["geometry"])
    artists: list[Artist] = []
    if place["uncertainty"]:
        artists.append(axes.add_patch(PathPatch(
            _path(_project(_uncertainty(place["uncertainty"]))), edgecolor=colour,
            facecolor=(*_rgb(colour), 0 if place["wide"] else 0.08), linewidth=1.5 * PT_PER_PX, linestyle=_dash("4 4"), zorder=1)))  # fmt: skip
    if geometry.geom_type in ("LineString", "MultiLineString"):
        dash = "2 5" if guess else "8 5" if kind == "border" else None
        artists.append(axes.add_patch(PathPatch(
            _path(_project(geometry)), fill=False, edgecolor=ink, linewidth=(4 if kind == "river" else 2.5) * PT_PER_PX,
            linestyle=_dash(dash), capstyle="round", joinstyle="round", zorder=3)))  # fmt: skip
    elif geometry.geom_type in ("Polygon", "MultiPolygon"):
        dash = "2 5" if guess else "6 4" if kind == "zone" or approximate else None
        outline = place["outline"]  # a country or region: beneath every other place, lightly tinted
        artists.append(axes.add_patch(PathPatch(
            _path(_project(geometry)), edgecolor=ink, facecolor=(*_rgb(colour), 0.07 if kind == "zone" or outline else 0.15),
            linewidth=2 * PT_PER_PX, linestyle=_dash(dash), zorder=0.9 if outline else 2)))  # fmt: skip
    if geometry.geom_type == "Point" or (geometry.geom_type.endswith("Polygon") and kind != "zone"):
        centre = _xy(*place["anchor"])
        if guess:
            radius, edge, width, dash, fill = 8, ink, 3, "2 3", "#ffffff"
        elif approximate:
            radius, edge, width, dash, fill = 6, colour, 2, "3 2", "#ffffff"
        else:
            radius, edge, width, dash, fill = 7, "#ffffff", 2, None, colour
        artists.append(axes.add_patch(Circle(centre, radius * PT_PER_PX / points_per_metre, facecolor=fill,
                                             edgecolor=edge, linewidth=width * PT_PER_PX, linestyle=_dash(dash),
                                             zorder=4, label=MARKER)))  # fmt: skip
    return artists


def _drawn(place: dict[str, Any]) -> BaseGeometry:
    """What the map draws of a place: its geometry, or its circle of uncertainty."""
    return _uncertainty(place["uncertainty"]) if place["uncertainty"] else shape(place["geometry"])


def _uncertainty(rings: list[Any]) -> BaseGeometry:
    """The page's uncertainty polygon ([lat, lon] rings, or a list of such polygons) in (lon, lat)."""
    from shapely.geometry import MultiPolygon, Polygon

    if rings and isinstance(rings[0][0], list):
        return MultiPolygon([Polygon([(lon, lat) for lat, lon in polygon[0]]) for polygon in rings])
    return Polygon([(lon, lat) for lat, lon in rings])


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


SIDES = {  # side: (offset in CSS pixels, horizontal and vertical alignment), in the order the page tries them
    "right": ((8, 0), "left", "center"),
    "left": ((-8, 0), "right", "center"),
    "top": ((0, 8), "center", "bottom"),
    "bottom": ((0, -8), "center", "top"),
}


def _story_labels(axes: Axes, places: Iterable[dict[str, Any]], taken: list[Any]) -> list[Artist]:
    """The places' names as the page places them: in its order of importance, each on the first side
    of its place (right, left, above, below) where it overlaps nothing; the main place's always shows."""
    shown: list[Artist] = []
    for place in sorted((p for p in places if p["label"]), key=lambda p: p["priority"]):
        for side in SIDES:
            label = _story_label(axes, place, side)
            if _fits(axes, label, taken):
                break
            label.remove()
        else:
            if not place["main"]:
                continue
            label = _story_label(axes, place, "right")
        taken.append(label.get_window_extent(axes.figure.canvas.get_renderer()))  # type: ignore[attr-defined]
        shown.append(label)
    return shown


def _story_label(axes: Axes, place: dict[str, Any], side: str) -> Text:
    guess = place["unverified"]
    (dx, dy), ha, va = SIDES[side]
    return axes.annotate(
        place["name"] + (" (?)" if guess else ""), _xy(*place["labelAt"]), xytext=(dx * PT_PER_PX, dy * PT_PER_PX),
        textcoords="offset points", ha=ha, va=va, fontsize=(15 if place["main"] else 13) * PT_PER_PX, fontweight="bold",
        fontstyle="italic" if guess else "normal", color=UNVERIFIED_INK if guess else LABEL_INK, zorder=6,
        bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
    )  # fmt: skip


def _fits(axes: Axes, label: Artist, taken: list[Any]) -> bool:
    """Whether ``label`` lies inside the image and overlaps nothing in ``taken``."""
    renderer = axes.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame, extent = axes.get_window_extent(renderer), label.get_window_extent(renderer)
    inside = frame.x0 <= extent.x0 and extent.x1 <= frame.x1 and frame.y0 <= extent.y0 and extent.y1 <= frame.y1
    return inside and not any(extent.overlaps(other) for other in taken)


def _extent(artist: Artist, renderer: Any) -> Any:
    """Where ``artist`` shows on the image, in pixels, a text's card included (labels measure their
    text alone, as the page's do, so that four fit around one place)."""
    from matplotlib.text import Text
    from matplotlib.transforms import Bbox

    extent = artist.get_window_extent(renderer)
    patch = artist.get_bbox_patch() if isinstance(artist, Text) else None
    if patch is None:
        return extent
    artist.update_bbox_position_size(renderer)
    return Bbox.union([extent, patch.get_window_extent(renderer)])


def _keep_clear(axes: Axes, labels: Iterable[Text], taken: list[Any]) -> list[Artist]:
    """The labels that fit, in order; one that would overlap what is on the map already, or leave
    the image, is removed, as the page hides it."""
    kept: list[Artist] = []
    for label in labels:
        if not _fits(axes, label, taken):
            label.remove()
            continue
        taken.append(label.get_window_extent(axes.figure.canvas.get_renderer()))  # type: ignore[attr-defined]
        kept.append(label)
    return kept


def _title(axes: Axes, data: dict[str, Any]) -> list[Artist]:
    """The title and, under it, the article's source and date, top left on a white card."""
    byline = ", ".join(x for x in (data["article"]["source"], data["article"]["date"]) if x)
    card = {"boxstyle": "round,pad=0.5", "facecolor": "white", "edgecolor": "#cccccc", "alpha": 0.93}
    title = axes.text(0.015, 0.975, _wrap(data["title"], 60), transform=axes.transAxes, ha="left", va="top",
                      fontsize=15 * PT_PER_PX * 1.3, fontweight="bold", color=LABEL_INK, bbox=card, zorder=8,
                      linespacing=1.15)  # fmt: skip
    artists: list[Artist] = [title]
    if byline:
        artists.append(axes.annotate(byline, xy=(0, 0), xycoords=title, xytext=(0, -6), textcoords="offset points",
                                     ha="left", va="top", fontsize=11 * PT_PER_PX, color="#444444", zorder=8,
                                     bbox={**card, "boxstyle": "round,pad=0.35"}))  # fmt: skip
    return artists


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or " "


def _legend(axes: Axes, places: Sequence[dict[str, Any]]) -> list[Artist]:
    """The kinds present, then approximate and unverified positions when there are any."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: dict[str, Artist] = {}
    for place in places:
        kind = style.kind_style(place["kind"])
        if kind.legend in handles:
            continue
        colour = kind.colour
        if kind.legend == "River":
            handle = Line2D([], [], color=colour, linewidth=4 * PT_PER_PX)
        elif kind.legend == "Border":
            handle = Line2D([], [], color=colour, linewidth=3 * PT_PER_PX, linestyle=_dash("8 5"))
        elif kind.legend == "Zone":
            handle = Patch(facecolor=(*_rgb(colour), 0.12), edgecolor=colour, linestyle=_dash("6 4"), linewidth=1.5)
        elif kind.legend == "District or area":
            handle = Patch(facecolor=(*_rgb(colour), 0.25), edgecolor=colour, linewidth=1.5)
        else:
            handle = Line2D([], [], linestyle="none", marker="o", markersize=10, markerfacecolor=colour,
                            markeredgecolor="white", markeredgewidth=1.5)  # fmt: skip
        handles[kind.legend] = handle
    if any(place["uncertainty"] or place["precision"] == "approximate" for place in places):
        handles["Approximate position: hollow marker,\ndashed circle of uncertainty"] = Line2D(
            [], [], linestyle="none", marker="o", markersize=10, markerfacecolor="white", markeredgecolor="#555555",
            markeredgewidth=1.5)  # fmt: skip
    if any(place["unverified"] for place in places):
        handles["Unverified (?): the gazetteer's best guess,\nnot checked"] = Line2D(
            [], [], linestyle="none", marker="o", markersize=11, markerfacecolor="white",
            markeredgecolor=style.unverified_colour(), markeredgewidth=2.5)  # fmt: skip
    if not handles:
        return []
    legend = axes.legend(list(handles.values()), list(handles), loc="lower right", bbox_to_anchor=(0.995, 0.03),
                         fontsize=12 * PT_PER_PX, title="Legend", title_fontproperties={"weight": "bold", "size": 10},
                         alignment="left", framealpha=0.93, edgecolor="#cccccc", fancybox=True)  # fmt: skip
    legend.set_zorder(9)
    return [legend]


def _scale_bar(axes: Axes, frame: tuple[float, float, float, float], points_per_metre: float) -> list[Artist]:
    """A bar of a round length in km, bottom left; Mercator stretches ground distance by 1/cos(latitude)."""
    from matplotlib.lines import Line2D

    _, centre_lat = _from_mercator().transform((frame[0] + frame[2]) / 2, (frame[1] + frame[3]) / 2)
    _, south = _from_mercator().transform(0, max(frame[1], -EDGE_M))
    _, north = _from_mercator().transform(0, min(frame[3], EDGE_M))
    if north - south > MAX_SCALE_BAR_SPAN_DEG:
        return []  # across a continent Mercator's scale changes too much for one bar to hold
    stretch = 1 / math.cos(math.radians(centre_lat))
    target_km = (frame[2] - frame[0]) / stretch / 5 / 1000
    length_km = max(n * 10**e for e in range(-2, 5) for n in (1, 2, 5) if n * 10**e <= target_km) if target_km >= 0.01 else 0.01
    length = length_km * 1000 * stretch
    x0 = frame[0] + 16 * PT_PER_PX / points_per_metre
    y0 = frame[1] + 22 * PT_PER_PX / points_per_metre
    tick = 4 * PT_PER_PX / points_per_metre
    bar = Line2D([x0, x0, x0 + length, x0 + length], [y0 + tick, y0, y0, y0 + tick], color=LABEL_INK,
                 linewidth=2 * PT_PER_PX, solid_joinstyle="miter", zorder=8, clip_on=False)  # fmt: skip
    axes.add_line(bar)
    text = axes.text(x0 + length / 2, y0 + 2 * tick, f"{length_km:g} km", ha="center", va="bottom",
                     fontsize=11 * PT_PER_PX, color=LABEL_INK, zorder=8)  # fmt: skip
    return [bar, text]


# --- Files ------------------------------------------------------------------------------


def _rc() -> Any:
    """Settings that make files editable and the same bytes each time."""
    import matplotlib

    return matplotlib.rc_context({
        "svg.fonttype": "none",  # text stays <text>, not glyph outlines
        "svg.hashsalt": "geo",  # ids from a constant salt, not a random one
        "pdf.fonttype": 42,  # TrueType embedded: text can be selected and edited
        "font.family": FONT,
        "text.parse_math": False,  # a name with two "$" is a name, not a formula
        "lines.scale_dashes": False,  # dashes in points, as the page's are in pixels
        "path.simplify": True,
    })  # fmt: skip


def _save(figure: Figure, size: Size, file_format: str) -> bytes:
    metadata = {
        "png": {"Software": "geo"},
        "svg": {"Date": None, "Creator": "geo"},
        "pdf": {"CreationDate": None, "ModDate": None, "Creator": "geo", "Producer": "geo"},
    }[file_format]
    buffer = io.BytesIO()
    figure.canvas.print_figure(buffer, format=file_format, dpi=size.dpi, metadata=metadata, facecolor=figure.get_facecolor())
    return buffer.getvalue()
