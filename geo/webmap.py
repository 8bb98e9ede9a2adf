"""The map page: a folium map whose story layer is drawn from escaped data.

folium lays out the page, the basemaps and the assets; the places themselves are
handed to ``static/story.js`` as one JSON document. That script builds every popup,
label, legend entry and list item with DOM text nodes, so a place name is always
text and never markup: nothing from the place list is pasted into HTML or into
JavaScript source.
"""

from __future__ import annotations

import html
import json
import math
from functools import cache
from pathlib import Path
from typing import Any

import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template
from shapely.geometry import Point

from geo import geometry, style
from geo.geojson import geometry as geojson_geometry
from geo.placelist import PlaceList
from geo.resolve import Resolution, Resolved

STATIC = Path(__file__).parent / "static"

BASEMAPS = {
    # id: (title, xyzservices provider)
    "street": ("Street", "OpenStreetMap"),
    "satellite": ("Satellite", "Esri.WorldImagery"),
    "light": ("Light", "Esri.WorldGrayCanvas"),
}

UNCERTAINTY_VERTICES = 96


class StoryMap(folium.Map):
    """A folium map that loads only Leaflet and lets readers zoom the page.

    folium's default page pulls in jQuery, Bootstrap and icon fonts that this map
    does not use, and locks page zoom (``user-scalable=no``), which fails readers
    who need to enlarge text.
    """

    default_js = [("leaflet", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js")]
    default_css = [("leaflet_css", "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css")]

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


class FullscreenControl(JSCSSMixin, MacroElement):
    """The leaflet.fullscreen button, as folium's plugin adds it.

    Importing ``folium.plugins`` loads every plugin folium has, which costs a
    tenth of a second per build for the one button this map uses.
    """

    default_js = [("fullscreen_js", "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.min.js")]
    default_css = [("fullscreen_css", "https://cdn.jsdelivr.net/npm/leaflet.fullscreen@3.0.0/Control.FullScreen.css")]

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            L.control.fullscreen({position: "topleft", title: "Full screen", titleCancel: "Leave full screen"})
                .addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )


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
    """The places, layers, legend and list, drawn by ``static/story.js`` from JSON."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
            <style>{{ this.css }}</style>
        {% endmacro %}
        {% macro html(this, kwargs) %}
            {{ this.list_html }}
        {% endmacro %}
        {% macro script(this, kwargs) %}
            {{ this.js }}
            geoStory({{ this._parent.get_name() }}, {{ this.data }}, {
                {%- for id, layer in this.basemaps.items() %}
                {{ id|tojson }}: {{ layer.get_name() }},
                {%- endfor %}
            });
        {% endmacro %}
        """
    )

    def __init__(self, data: dict[str, Any], basemaps: dict[str, folium.TileLayer], list_html: str):
        super().__init__()
        self._name = "Story"
        self.data = script_json(data)
        self.list_html = list_html
        self.basemaps = basemaps
        self.css = _static("story.css")
        self.js = _static("story.js")


@cache
def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element, whatever strings it holds (a NaN, which JSON cannot hold, raises)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def render(place_list: PlaceList, resolution: Resolution, article: str | None = None) -> str:
    """The whole HTML page for a resolved place list (quoting ``article`` in popups when given)."""
    return build(place_list, resolution, article).get_root().render()


def build(place_list: PlaceList, resolution: Resolution, article: str | None = None) -> folium.Map:
    """The folium map of a resolved place list."""
    data = story_data(place_list, resolution)
    if article is not None:
        from geo.extract.quotes import quotes_for

        for place, item in zip(data["places"], resolution.resolved):
            names = (item.place.name, *item.place.aliases)
            place["quotes"] = [{"text": text, "marks": marks} for text, marks in quotes_for(names, article)]
    south, west, north, east = data["focus"]
    fmap = StoryMap(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=8,
        tiles=None,
        control_scale=True,
    )
    fmap.get_root().title = html.escape(place_list.title)
    basemaps = {}
    for basemap_id, (title, provider) in BASEMAPS.items():
        layer = folium.TileLayer(provider, name=title, overlay=False, show=basemap_id == place_list.map.basemap)
        layer.add_to(fmap)
        basemaps[title] = layer
    FullscreenControl().add_to(fmap)
    Story(data, basemaps, place_list_html(place_list, resolution)).add_to(fmap)
    return fmap


def story_data(place_list: PlaceList, resolution: Resolution) -> dict[str, Any]:
    """Everything story.js draws, as plain JSON values."""
    shown = {layer.id for layer in place_list.layers if layer.show}
    focus_names = {n.casefold() for n in place_list.map.focus}
    focus = [
        r for r in resolution.resolved
        if (r.place.name.casefold() in focus_names if focus_names else r.place.layer in shown)
    ] or list(resolution.resolved)  # fmt: skip
    focus_bounds = _bounds(focus)
    return {
        "title": place_list.title,
        "style": style.table(),
        "article": {
            "source": place_list.article.source,
            "date": place_list.article.date.isoformat() if place_list.article.date else "",
        },
        "layers": [{"id": layer.id, "title": layer.title, "show": layer.show} for layer in place_list.layers],
        "places": [_place_data(r, shown, focus_bounds) for r in resolution.resolved],
        "focus": focus_bounds,
        "center": list(place_list.map.center) if place_list.map.center else None,
        "zoom": place_list.map.zoom,
        "all": _bounds([r for r in resolution.resolved if r.place.layer in shown] or list(resolution.resolved)),
    }


def _place_data(item: Resolved, shown: set[str], focus: tuple[float, float, float, float]) -> dict[str, Any]:
    place = item.place
    uncertainty = None
    if item.precision == "approximate" and item.radius_km and item.geometry.geom_type == "Point":
        circle = geometry.circle(item.anchor, item.radius_km, vertices=UNCERTAINTY_VERTICES)
        rings = [[[round(lat, 5), round(lon, 5)] for lon, lat in part.exterior.coords] for part in getattr(circle, "geoms", [circle])]
        uncertainty = rings[0] if len(rings) == 1 else [[ring] for ring in rings]  # Leaflet's polygon, or multipolygon
    label = place.label if place.label is not None else place.layer in shown
    return {
        "name": place.name,
        "aliases": list(place.aliases),
        "kind": place.kind,
        "layer": place.layer,
        "label": label,
        "labelAt": _label_point(item, focus),
        "precision": item.precision,
        "radiusKm": item.radius_km,
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
        minx, miny, maxx, maxy = item.geometry.bounds
        pad_lat = pad_lon = 0.0
        if item.precision == "approximate" and item.radius_km and item.geometry.geom_type == "Point":
            pad_lat = item.radius_km / 111.0
            pad_lon = pad_lat / max(0.1, math.cos(math.radians(item.anchor[0])))
        south, north = max(-90.0, min(south, miny - pad_lat)), min(90.0, max(north, maxy + pad_lat))
        west, east = max(-180.0, min(west, minx - pad_lon)), min(180.0, max(east, maxx + pad_lon))
    return (south, west, north, east)


def place_list_html(place_list: PlaceList, resolution: Resolution) -> str:
    """The places as plain text under the map, for screen readers and print."""
    esc = html.escape
    rows = []
    layer_titles = {layer.id: layer.title for layer in place_list.layers}
    for item in resolution.resolved:
        place = item.place
        lat, lon = item.anchor
        precision = "exact" if item.precision == "exact" else f"approximate, within {item.radius_km:g} km"
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
        + f"<ol>{''.join(rows)}</ol></section>"
    )
