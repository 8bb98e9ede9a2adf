"""The map page: a folium map whose story layer is drawn from escaped data.

folium lays out the page, the basemaps and the assets; the places themselves are
handed to ``static/story.js`` as one JSON document. That script builds every popup,
label, legend entry and list item with DOM text nodes, so a place name is always
text and never markup: nothing from the place list is pasted into HTML or into
JavaScript source.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, ClassVar

import folium
import xyzservices
from branca.element import Element, MacroElement
from folium.template import Template
from shapely.geometry import Point

from geo import basemap, geometry, style
from geo.focus import is_wide, story_focus
from geo.geojson import geometry as geojson_geometry
from geo.placelist import PlaceList
from geo.resolve import Resolution, Resolved

STATIC = Path(__file__).parent / "static"

BASEMAPS = {
    # id: (title, xyzservices provider, as a path of attributes: looking a name up flattens the whole catalogue)
    "street": ("Street", ("OpenStreetMap", "Mapnik")),
    "satellite": ("Satellite", ("Esri", "WorldImagery")),
    "light": ("Light", ("Esri", "WorldGrayCanvas")),
}

OFFLINE_TITLE = "Offline (Natural Earth)"
"""The basemap the page carries (:mod:`geo.basemap`), chosen by ``map.basemap: offline`` or by the page when tiles fail."""

UNCERTAINTY_VERTICES = 96


class StoryMap(folium.Map):
    """A folium map that carries Leaflet itself, renders the same bytes each time, and lets readers zoom the page.

    folium's default page loads Leaflet, jQuery, Bootstrap and icon fonts from CDNs: offline
    it draws nothing, and this map uses none but Leaflet. Here Leaflet comes from PyPI
    ``xstatic-leaflet`` (the version folium pins), inlined as finished text, or with
    ``cdn=True`` loaded from jsDelivr and held to the packaged files by their hashes.
    folium's viewport also locks page zoom (``user-scalable=no``), which fails readers who
    need to enlarge text.
    """

    default_js: ClassVar[list[tuple[str, str]]] = []
    default_css: ClassVar[list[tuple[str, str]]] = []

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <meta name="viewport" content="width=device-width, initial-scale=1.0" />
        {% endmacro %}
        {% macro html(this, kwargs) %}
            <div class="folium-map geo-map" id={{ this.get_name()|tojson }} role="region" aria-label="Map"></div>
        {% endmacro %}
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.map({{ this.get_name()|tojson }}, {
                center: {{ this.location|tojson }},
                crs: L.CRS.{{ this.crs }},
                ...{{ this.options|tojavascript }}
            });
            {%- if this.control_scale %}
            L.control.scale({imperial: true, metric: true}).addTo({{ this.get_name() }});
            {%- endif %}
        {% endmacro %}
        """
    )

    def __init__(self, *args: Any, cdn: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.cdn = cdn

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        number_elements(figure)
        css, js = leaflet_links() if self.cdn else (f"<style>{leaflet_css()}</style>", f"<script>{leaflet_js()}</script>")
        figure.header.add_child(_Text(css), name="leaflet_css")
        figure.header.add_child(_Text(js), name="leaflet")
        if self.cdn:
            figure.header.add_child(_Text(NO_LEAFLET), name="no_leaflet")
        super().render(**kwargs)


NO_LEAFLET = """<script>
if (!window.L) {
  document.addEventListener("DOMContentLoaded", function () {
    var note = document.createElement("p");
    note.className = "geo-no-leaflet";
    note.textContent = "This page loads its map library (Leaflet) from the internet, and it could not be loaded. "
      + "A page built without --cdn carries everything it needs and works offline.";
    document.body.insertBefore(note, document.body.firstChild);
  });
}
</script>"""
"""What a --cdn page says when Leaflet could not be fetched, instead of a white page."""


def number_elements(root: Element) -> None:
    """Give ``root`` and every element under it an id from its place in the tree.

    branca draws each element's id at random, and the ids name the page's JavaScript
    variables and elements: two builds of one place list would differ in every line.
    Numbered in tree order, the same map is the same bytes, so pages can be diffed,
    cached and reviewed. An element keeps its number once given (folium keys what it
    renders by the ids, so a map rendered again must not be renumbered); elements added
    since, by folium while rendering or by a caller, take the next numbers.
    """
    count = getattr(root, "_geo_next_id", 0)
    todo = [root]
    while todo:
        element = todo.pop()
        if not getattr(element, "_geo_numbered", False):
            element._id, element._geo_numbered = str(count), True
            count += 1
        todo.extend(reversed(list(element._children.values())))
    root._geo_next_id = count


class _Text(Element):
    """Finished markup or script, put on the page as it is and never read as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class DataElement(MacroElement):
    """A MacroElement for templates that carry the place list's text.

    branca's ``MacroElement.render`` wraps each macro's output in ``Element(output)``,
    which compiles that output as a new Jinja template: a note reading ``{{ 7*7 }}``
    would be evaluated, and ``{{ cycler.__init__.__globals__.os... }}`` would run
    code. Here each macro's output is added as finished text, so whatever the
    place list says is rendered exactly once, as a value.
    """

    def render(self, **kwargs: Any) -> None:
        figure = self.get_root()
        for part in ("header", "html", "script"):
            macro = self._template.module.__dict__.get(part)
            if macro is not None:
                getattr(figure, part).add_child(_Text(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class Story(DataElement):
    """The places, layers, legend and list, drawn by ``static/story.js`` from JSON.

    The data is a JSON document in its own ``<script type="application/json">`` element,
    read with ``JSON.parse``: the browser parses that much faster than the same data as a
    JavaScript literal, which counts at ten thousand places.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            <script type="application/json" id="{{ this.data_id }}">{{ this.data }}</script>
            {{ this.list_html }}
        {% endmacro %}
        {% macro script(this, kwargs) %}
            {{ this.js }}
            geoStory({{ this._parent.get_name() }}, JSON.parse(document.getElementById("{{ this.data_id }}").textContent), {
                {%- for id, layer in this.basemaps.items() %}
                {{ id|tojson }}: {{ layer.get_name() }},
                {%- endfor %}
            }, {{ this.offline }}, {{ this.world }});
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], basemaps: dict[str, folium.TileLayer], offline: dict[str, Any], list_html: str):
        super().__init__()
        self._name = "Story"
        self.data = script_json(data)
        self.offline = script_json(offline)
        self.world = basemap.world_json()
        self.list_html = list_html
        self.basemaps = basemaps
        self.css = _static("story.css")
        self.js = _static("story.js")

    @property
    def data_id(self) -> str:
        """The id of the data's element, from the element's name (numbered when the page renders)."""
        return f"geo-story-data-{self.get_name()}"


@cache
def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


LEAFLET_CDN = "https://cdn.jsdelivr.net/npm/leaflet@{version}/dist/{file}"


@cache
def _leaflet_files() -> tuple[Path, str]:
    """The folder of Leaflet's files as PyPI xstatic-leaflet ships them, and their version."""
    from xstatic.pkg import leaflet

    return Path(leaflet.BASE_DIR), leaflet.VERSION


@cache
def leaflet_js() -> str:
    """leaflet.js as it goes into the page, without the source-map comment (a file no page offline can fetch)."""
    text = (_leaflet_files()[0] / "leaflet.js").read_text(encoding="utf-8")
    text = re.sub(r"^//# sourceMappingURL=.*$", "", text, flags=re.MULTILINE)
    return _inline_safe(text, "script")


@cache
def leaflet_css() -> str:
    """leaflet.css with its images inlined as data: URIs, so the page asks for no file."""
    folder = _leaflet_files()[0]

    def data_uri(match: re.Match[str]) -> str:
        image = (folder / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(image).decode('ascii')})"

    text = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, (folder / "leaflet.css").read_text(encoding="utf-8"))
    return _inline_safe(text, "style")


def _inline_safe(text: str, element: str) -> str:
    """``text``, after checking that it cannot end the element it is inlined in."""
    if f"</{element}" in text.lower():
        raise ValueError(f"the packaged Leaflet would close its <{element}> element early")
    return text


@cache
def leaflet_links() -> tuple[str, str]:
    """<link> and <script> tags for Leaflet on jsDelivr, held to the packaged files by their SHA-384."""
    folder, version = _leaflet_files()

    def integrity(name: str) -> str:
        return "sha384-" + base64.b64encode(hashlib.sha384((folder / name).read_bytes()).digest()).decode("ascii")

    css, js = (LEAFLET_CDN.format(version=version, file=name) for name in ("leaflet.css", "leaflet.js"))
    return (
        f'<link rel="stylesheet" href="{css}" integrity="{integrity("leaflet.css")}" crossorigin="anonymous"/>',
        f'<script src="{js}" integrity="{integrity("leaflet.js")}" crossorigin="anonymous"></script>',
    )


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element, whatever strings it holds (a NaN, which JSON cannot hold, raises)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def render(place_list: PlaceList, resolution: Resolution, article: str | None = None, *, cdn: bool = False) -> str:
    """The whole HTML page for a resolved place list (quoting ``article`` in popups when given).

    The page carries Leaflet, so it works from a file with no network; ``cdn`` loads it from jsDelivr instead.
    """
    return build(place_list, resolution, article, cdn=cdn).get_root().render()


def build(place_list: PlaceList, resolution: Resolution, article: str | None = None, *, cdn: bool = False) -> folium.Map:
    """The folium map of a resolved place list.

    Given the article, each popup quotes the sentences that name its place, and how
    often the article names each place weighs in the opening view and the labels.
    """
    quotes = _quotes(resolution, article) if article is not None else None
    mentions = {name: sum(len(marks) for _, marks in found) for name, found in quotes.items()} if quotes else None
    data = story_data(place_list, resolution, mentions)
    if quotes is not None:
        for place in data["places"]:
            place["quotes"] = [{"text": text, "marks": marks} for text, marks in quotes[place["name"]]]
    south, west, north, east = data["focus"]
    fmap = StoryMap(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=8,
        tiles=None,
        control_scale=True,
        cdn=cdn,
    )
    fmap.get_root().title = html.escape(place_list.title)
    basemaps = {}
    for basemap_id, (title, (group, provider)) in BASEMAPS.items():
        tiles = xyzservices.providers[group][provider]
        layer = folium.TileLayer(tiles, name=title, overlay=False, show=basemap_id == place_list.map.basemap)
        layer.add_to(fmap)
        basemaps[title] = layer
    offline = {"title": OFFLINE_TITLE, "start": place_list.map.basemap == "offline", **basemap.tiers(data["all"], data["focus"])}
    Story(data, basemaps, offline, place_list_html(place_list, resolution)).add_to(fmap)
    return fmap


def _quotes(resolution: Resolution, article: str) -> dict[str, list[tuple[str, list[tuple[int, int]]]]]:
    from geo.extract.quotes import quotes_for

    return {item.place.name: quotes_for((item.place.name, *item.place.aliases), article) for item in resolution.resolved}


STORY_MAX_ZOOM = 13
"""The opening view never zooms closer than this."""
MIN_VIEW_DEG = 0.25
"""Nor frames less than this (about 28 km): one town alone opens with its surroundings, not its streets."""


def story_data(place_list: PlaceList, resolution: Resolution, mentions: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Everything story.js draws, as plain JSON values; ``mentions`` counts the article's mentions by place name."""
    resolved = list(resolution.resolved)
    shown = {layer.id for layer in place_list.layers if layer.show}
    focus = story_focus(place_list, resolved, mentions)
    focus_bounds = _at_least(_bounds(list(focus.framed)), MIN_VIEW_DEG)
    return {
        "title": place_list.title,
        "style": style.table(),
        "article": {
            "source": place_list.article.source,
            "date": place_list.article.date.isoformat() if place_list.article.date else "",
        },
        "layers": [{"id": layer.id, "title": layer.title, "show": layer.show} for layer in place_list.layers],
        "places": [
            _place_data(item, shown, focus_bounds, priority, item is focus.main)
            for item, priority in zip(resolved, focus.priority)
        ],
        "focus": focus_bounds,
        "maxZoom": STORY_MAX_ZOOM,
        "center": list(place_list.map.center) if place_list.map.center else None,
        "zoom": place_list.map.zoom,
        "all": _bounds([r for r in resolved if r.place.layer in shown] or resolved),
    }


def _place_data(item: Resolved, shown: set[str], focus: tuple[float, float, float, float], priority: int, main: bool) -> dict[str, Any]:
    place = item.place
    uncertainty = None
    if item.precision == "approximate" and item.radius_km and item.geometry.geom_type == "Point":
        circle = geometry.circle(item.anchor, item.radius_km, vertices=UNCERTAINTY_VERTICES)
        rings = [[[round(lat, 5), round(lon, 5)] for lon, lat in part.exterior.coords] for part in getattr(circle, "geoms", [circle])]
        uncertainty = rings[0] if len(rings) == 1 else [[ring] for ring in rings]  # Leaflet's polygon, or multipolygon
    label = place.label if place.label is not None else (main or place.layer in shown)
    return {
        "name": place.name,
        "aliases": list(place.aliases),
        "kind": place.kind,
        "layer": place.layer,
        "label": label,
        "labelAt": _label_point(item, focus),
        "priority": priority,
        "main": main,
        "precision": item.precision,
        "outline": item.outlined,
        "radiusKm": item.radius_km,
        "wide": is_wide(item),
        "origin": item.origin,
        "ref": item.match.ref if item.match else None,
        "confidence": item.confidence,
        "unverified": item.unverified,
        "notes": place.notes,
        "events": [{"date": e.date.isoformat(), "text": e.text} for e in place.events],
        "sources": list(place.sources),
        "geometry": geojson_geometry(item.geometry),
        "anchor": [round(item.anchor[0], 6), round(item.anchor[1], 6)],
        "uncertainty": uncertainty,
    }


def _label_point(item: Resolved, focus: tuple[float, float, float, float]) -> list[float]:
    """Where a label goes: the anchor, or for a line the point nearest the story's centre."""
    if item.geometry.geom_type != "LineString" or item.geometry.length == 0:  # a line of one point has nowhere else
        return [item.anchor[0], item.anchor[1]]
    south, west, north, east = focus
    centre = Point((west + east) / 2, (south + north) / 2)
    nearest = item.geometry.interpolate(item.geometry.project(centre))
    return [nearest.y, nearest.x]


WORLD = (-60.0, -180.0, 75.0, 180.0)
"""(south, west, north, east) of the inhabited world: the view of a list without places."""


def _bounds(items: list[Resolved]) -> tuple[float, float, float, float]:
    """(south, west, north, east) around the places, their uncertainty included; the world when there are none."""
    if not items:
        return WORLD
    south, west, north, east = 90.0, 180.0, -90.0, -180.0
    for item in items:
        minx, miny, maxx, maxy = item.body.bounds  # a country's homeland: a US story is not framed to the Aleutians
        pad_lat = pad_lon = 0.0
        if item.precision == "approximate" and item.radius_km and item.geometry.geom_type == "Point":
            pad_lat = item.radius_km / 111.0
            pad_lon = pad_lat / max(0.1, math.cos(math.radians(item.anchor[0])))
        south, north = max(-90.0, min(south, miny - pad_lat)), min(90.0, max(north, maxy + pad_lat))
        west, east = max(-180.0, min(west, minx - pad_lon)), min(180.0, max(east, maxx + pad_lon))
    return (south, west, north, east)


def _at_least(bounds: tuple[float, float, float, float], degrees: float) -> tuple[float, float, float, float]:
    """``bounds`` grown about its centre to at least ``degrees`` of latitude and of longitude."""
    south, west, north, east = bounds
    grow_lat, grow_lon = max(0.0, degrees - (north - south)) / 2, max(0.0, degrees - (east - west)) / 2
    return (max(-90.0, south - grow_lat), max(-180.0, west - grow_lon), min(90.0, north + grow_lat), min(180.0, east + grow_lon))


LIST_FIRST = 100
"""The list under the map shows this many places at once; the rest wait in chunks of :data:`LIST_CHUNK`."""
LIST_CHUNK = 200


def place_list_html(place_list: PlaceList, resolution: Resolution) -> str:
    """The places as plain text under the map, for screen readers and print.

    Past the first :data:`LIST_FIRST`, the places come in ``<template>`` chunks, which the
    browser parses but neither styles nor lays out: the page's script moves them into the
    list one at a time once the map is drawn, so ten thousand places do not hold up the map.
    """
    esc = html.escape
    rows = []
    layer_titles = {layer.id: layer.title for layer in place_list.layers}
    for item in resolution.resolved:
        place = item.place
        lat, lon = item.anchor
        precision = "exact" if item.precision == "exact" else f"approximate, within {item.radius_km:g} km"
        if item.outlined and item.precision == "exact":
            precision = "an area: its outline, marked at a point inside it"
        if item.unverified:
            precision += f"; unverified: the gazetteer's best guess, confidence {item.confidence:.2f}"
        parts = [
            f"<h3>{esc(place.name)}</h3>",
            f"<p>{esc(place.kind)} · {esc(layer_titles[place.layer])} · {lat:.4f}, {lon:.4f} ({esc(precision)})</p>",
        ]
        if place.aliases:
            parts.append(f"<p>Also: {esc(', '.join(place.aliases))}</p>")
        if place.notes:
            parts.append(f"<p>{esc(place.notes)}</p>")
        if place.events:
            events = "".join(f"<li><time>{e.date.isoformat()}</time> {esc(e.text)}</li>" for e in place.events)
            parts.append(f"<ul>{events}</ul>")
        if place.sources:
            parts.append(f"<p>Sources: {esc('; '.join(place.sources))}</p>")
        rows.append(f"<li>{''.join(parts)}</li>")
    byline = " · ".join(
        esc(x) for x in (place_list.article.source, place_list.article.date.isoformat() if place_list.article.date else "") if x
    )
    return (
        '<section class="geo-list" aria-label="Places on the map">'
        f"<h2>{esc(place_list.title)}</h2>"
        + (f"<p>{byline}</p>" if byline else "")
        + f"<ol>{''.join(rows[:LIST_FIRST])}{''.join(_later(rows[LIST_FIRST:]))}</ol></section>"
    )


def _later(rows: list[str]) -> list[str]:
    """``rows`` in ``<template>`` chunks that story.js puts into the list after the map is drawn."""
    return [f'<template class="geo-list-later">{"".join(rows[at : at + LIST_CHUNK])}</template>' for at in range(0, len(rows), LIST_CHUNK)]
