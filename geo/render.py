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

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.path import Path as MplPath
    from matplotlib.text import Text
    from pyproj import Transformer

    from geo.placelist import PlaceList
    from geo.resolve import Resolution

Bounds = tuple[float, float, float, float]
"""(south, west, north, east) in degrees, as the page's data has them."""

FORMATS = {".png": "png", ".svg": "svg", ".pdf": "pdf"}
PT_PER_PX = 72 / 96
"""The page's sizes are CSS pixels (1/96 in); matplotlib's are points (1/72 in)."""
SEA, LAND, COUNTRY_EDGE, COUNTRY_LABEL = "#d4e4ef", "#f4f1ea", "#a9a196", "#8a8378"
LABEL_INK, UNVERIFIED_INK = "#1b1b1b", "#8e0e3f"
FONT = "DejaVu Sans"
"""matplotlib's own font: present wherever matplotlib is, so every machine draws the same glyphs."""
PADDING_PX = 24
"""Around the opening view, as the page's fitBounds padding."""
MIN_SPAN_M = 8_000.0
"""The narrowest view: a story of one point still shows its surroundings."""
MERCATOR_LAT = 85.0
EDGE_M = 20_037_508.34
"""Web Mercator's x at longitude ±180 (and its y at latitude ±85.05)."""
MAX_SCALE_BAR_SPAN_DEG = 20.0
"""Degrees of latitude a map may span and still carry a scale bar (Mercator's scale varies 20 % over 20° at 40° N)."""
CREDITS = "Basemap: Natural Earth (public domain) · Map: geo"


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
    land: tuple[BaseGeometry, ...]
    """Land areas in (lon, lat), filled and outlined (country borders)."""
    labels: tuple[tuple[str, float, float], ...]
    """(name, lat, lon) of the areas named on the map, the largest first (the first to keep its label)."""


def natural_earth(view: Bounds) -> Basemap:
    """Natural Earth's countries inside ``view`` (the shapefile the gazetteer reads), and the names
    of those whose label point it holds; only the records whose box meets the view are read."""
    import shapefile

    from geo.gazetteer.countries import shapefile_path

    south, west, north, east = view
    frame = box(west, south, east, north)
    land, labels = [], []
    with shapefile.Reader(str(shapefile_path()), encoding="utf-8") as reader:
        for feature in reader.iterShapeRecords(fields=["NAME_EN", "LABEL_X", "LABEL_Y"], bbox=(west, south, east, north)):
            outline = shape(feature.shape.__geo_interface__).buffer(0).intersection(frame)
            if outline.is_empty:
                continue
            land.append(outline)
            record = feature.record
            if south < record["LABEL_Y"] < north and west < record["LABEL_X"] < east:
                labels.append((-outline.area, record["NAME_EN"], record["LABEL_Y"], record["LABEL_X"]))
    return Basemap(tuple(land), tuple(label[1:] for label in sorted(labels)))


BASEMAP: Callable[[Bounds], Basemap] = natural_earth


# --- Drawing ----------------------------------------------------------------------------


def render(
    place_list: PlaceList, resolution: Resolution, size: Size, file_format: str, bounds: Bounds | None = None
) -> bytes:
    """The map as a PNG, SVG or PDF file's bytes; ``bounds`` replaces the page's opening view."""
    from geo.webmap import story_data

    data = story_data(place_list, resolution)
    with _rc():
        figure = draw(data, size, bounds or _opening_view(data))
        return _save(figure, size, file_format)


def _opening_view(data: dict[str, Any]) -> Bounds:
    """The page's: its centre and zoom when the list sets them, else its focus."""
    south, west, north, east = data["focus"]
    if data["center"] and data["zoom"] is not None:
        lat, lon = data["center"]
        half = 180.0 / 2 ** data["zoom"]  # a zoom level halves the degrees a 256-px tile spans
        return (lat - half / 2, lon - half, lat + half / 2, lon + half)
    return (south, west, north, east)


def draw(data: dict[str, Any], size: Size, view: Bounds) -> Figure:
    """The whole map on a matplotlib figure: basemap, layers, labels, title, legend, scale bar, credits."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size.inches, dpi=size.dpi)
    FigureCanvasAgg(figure)  # measures text, for the labels
    axes = figure.add_axes((0.0, 0.0, 1.0, 1.0))
    axes.set_axis_off()
    frame = _frame(view, size)
    axes.set_xlim(frame[0], frame[2])
    axes.set_ylim(frame[1], frame[3])
    axes.set_aspect("equal", adjustable="datalim")
    figure.patch.set_facecolor(SEA)
    points_per_metre = size.inches[0] * 72 / (frame[2] - frame[0])
    shown = {layer["id"] for layer in data["layers"] if layer["show"]}
    places = [place for place in data["places"] if place["layer"] in shown]

    basemap = BASEMAP(_lonlat_frame(frame))
    _add(axes, "basemap", _land(axes, basemap))
    for layer in data["layers"]:
        members = [place for place in places if place["layer"] == layer["id"]]
        if members:
            _add(axes, f"layer-{layer['id']}", [a for p in members for a in _place_artists(axes, p, points_per_metre)])
    in_view = box(*frame)
    furniture = {
        "title": _title(axes, data),
        "legend": _legend(axes, [p for p in places if _project(_drawn(p)).intersects(in_view)]),
        "scale-bar": _scale_bar(axes, frame, points_per_metre),
        "credits": [axes.text(0.995, 0.004, CREDITS, transform=axes.transAxes, ha="right", va="bottom",
                              fontsize=7.5, color="#555555", zorder=8)],
    }  # fmt: skip
    renderer = figure.canvas.get_renderer()
    taken = [artist.get_window_extent(renderer) for artists in furniture.values() for artist in artists]
    _add(axes, "labels", _keep_clear(axes, _place_labels(axes, places), taken))
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


def _frame(view: Bounds, size: Size) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in metres: the view, padded, widened to the image's shape."""
    south, west, north, east = view
    x0, y0 = _xy(south, west)
    x1, y1 = _xy(north, east)
    width, height = max(x1 - x0, MIN_SPAN_M), max(y1 - y0, MIN_SPAN_M)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    pad = 2 * PADDING_PX / 96 * size.dpi  # pixels of padding, both sides
    scale = max(width / (size.width_px - pad), height / (size.height_px - pad))  # metres per pixel
    half_w, half_h = scale * size.width_px / 2, scale * size.height_px / 2
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h)


def _lonlat_frame(frame: tuple[float, float, float, float]) -> Bounds:
    """The frame in degrees; beyond the antimeridian pyproj would wrap, so x stops there."""
    x0, y0, x1, y1 = (max(-EDGE_M, min(EDGE_M, v)) for v in frame)
    west, south = _from_mercator().transform(x0, y0)
    east, north = _from_mercator().transform(x1, y1)
    return (float(south), float(west), float(north), float(east))


class Group:
    """Artists drawn inside one named group (``<g id="layer-front">`` in SVG)."""

    def __init__(self, gid: str, artists: Sequence[Artist]) -> None:
        from matplotlib.artist import Artist

        class _Group(Artist):
            def draw(self, renderer: Any) -> None:
                renderer.open_group(gid, gid=gid)
                for artist in sorted(artists, key=lambda a: a.get_zorder()):
                    artist.draw(renderer)
                renderer.close_group(gid)

        self.artist = _Group()
        self.artist.set_zorder(min((a.get_zorder() for a in artists), default=0))


def _add(axes: Axes, gid: str, artists: Sequence[Artist]) -> None:
    """Move ``artists`` (already made on ``axes``) into one group drawn in their place."""
    if not artists:
        return
    for artist in artists:
        artist.remove()
        artist.set_figure(axes.figure)
        artist.axes = axes
        if artist.get_clip_on() and artist.get_transform() is axes.transData:
            artist.set_clip_path(axes.patch)
    group = Group(gid, artists).artist
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


def _land(axes: Axes, basemap: Basemap) -> list[Artist]:
    from matplotlib.patches import PathPatch

    return [
        axes.add_patch(PathPatch(_path(_project(land)), facecolor=LAND, edgecolor=COUNTRY_EDGE,
                                 linewidth=1.0 * PT_PER_PX, zorder=0.1))
        for land in basemap.land if not land.is_empty
    ]  # fmt: skip


def _basemap_labels(axes: Axes, basemap: Basemap) -> list[Text]:
    return [
        axes.text(*_xy(lat, lon), name.upper(), ha="center", va="center", fontsize=8.5, color=COUNTRY_LABEL, zorder=0.2)
        for name, lat, lon in basemap.labels
    ]


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
            _path(_project(_uncertainty(place["uncertainty"]))), edgecolor=colour, facecolor=(*_rgb(colour), 0.08),
            linewidth=1.5 * PT_PER_PX, linestyle=_dash("4 4"), zorder=1)))  # fmt: skip
    if geometry.geom_type in ("LineString", "MultiLineString"):
        dash = "2 5" if guess else "8 5" if kind == "border" else None
        artists.append(axes.add_patch(PathPatch(
            _path(_project(geometry)), fill=False, edgecolor=ink, linewidth=(4 if kind == "river" else 2.5) * PT_PER_PX,
            linestyle=_dash(dash), capstyle="round", joinstyle="round", zorder=3)))  # fmt: skip
    elif geometry.geom_type in ("Polygon", "MultiPolygon"):
        dash = "2 5" if guess else "6 4" if kind == "zone" or approximate else None
        artists.append(axes.add_patch(PathPatch(
            _path(_project(geometry)), edgecolor=ink, facecolor=(*_rgb(colour), 0.07 if kind == "zone" else 0.15),
            linewidth=2 * PT_PER_PX, linestyle=_dash(dash), zorder=2)))  # fmt: skip
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
                                             zorder=4)))  # fmt: skip
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


def _place_labels(axes: Axes, places: Iterable[dict[str, Any]]) -> list[Text]:
    """Names beside their markers, as the page's labels, in the page's order of priority."""
    labels = []
    for place in places:
        if not place["label"]:
            continue
        guess = place["unverified"]
        labels.append(axes.annotate(
            place["name"] + (" (?)" if guess else ""), _xy(*place["labelAt"]), xytext=(10 * PT_PER_PX, 0),
            textcoords="offset points", ha="left", va="center", fontsize=13 * PT_PER_PX, fontweight="bold",
            fontstyle="italic" if guess else "normal", color=UNVERIFIED_INK if guess else LABEL_INK, zorder=6,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.75},
        ))  # fmt: skip
    return labels


def _keep_clear(axes: Axes, labels: Iterable[Text], taken: list[Any]) -> list[Artist]:
    """The labels that fit, in order: one that would overlap what is already on the map (``taken``,
    which grows), or leave the image, is removed, as the page hides it."""
    renderer = axes.figure.canvas.get_renderer()  # type: ignore[attr-defined]
    frame = axes.get_window_extent(renderer)
    kept: list[Artist] = []
    for label in labels:
        extent = label.get_window_extent(renderer)
        inside = frame.x0 <= extent.x0 and extent.x1 <= frame.x1 and frame.y0 <= extent.y0 and extent.y1 <= frame.y1
        if not inside or any(extent.overlaps(other) for other in taken):
            label.remove()
            continue
        taken.append(extent)
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
