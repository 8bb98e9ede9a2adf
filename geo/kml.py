"""The resolved place list as KML for Google Earth and QGIS, built with fastkml.

Each place is the GeoJSON feature of :mod:`geo.geojson` (same geometry, same
annotations), written as a placemark in its layer's folder. Placemarks are styled by
kind with the page's colours (:mod:`geo.style`); a guess takes the unverified style.
The balloon text is HTML, so every value from the place list is HTML-escaped before
fastkml escapes the whole for XML: a note reading ``<script>`` shows as those characters.
"""

from __future__ import annotations

import html
from typing import Any

from fastkml import (
    KML,
    Data,
    Document,
    ExtendedData,
    Folder,
    Icon,
    IconStyle,
    LineStyle,
    Placemark,
    PolyStyle,
    Style,
    StyleUrl,
)
from pygeoif.factories import shape

from geo import geojson, style
from geo.placelist import PlaceList
from geo.resolve import Resolution

ICON = "https://maps.google.com/mapfiles/kml/shapes/placemark_circle.png"
"""Google Earth's own round marker, tinted by each style; a viewer offline falls back to its default pin."""
UNVERIFIED_STYLE = "unverified"
FILL_ALPHA = {"zone": 0x12, "default": 0x26}
"""Fill opacity as the page's (7 % for zones, 15 % for other shapes), out of 255."""


def dumps(place_list: PlaceList, resolution: Resolution) -> str:
    """The whole KML document as text, with its XML declaration."""
    kml = KML(features=[document(place_list, resolution)])
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + kml.to_string(prettyprint=True) + "\n"


def document(place_list: PlaceList, resolution: Resolution) -> Document:
    """One folder per layer, in the file's order, each with its places in file order."""
    features = [(item, geojson.feature(item, place_list)) for item in resolution.resolved]
    folders = []
    for layer in place_list.layers:
        placemarks = [placemark(feature) for item, feature in features if item.place.layer == layer.id]
        if placemarks:
            folders.append(Folder(id=f"layer-{layer.id}", name=layer.title, visibility=layer.show, features=placemarks))
    kinds = sorted({item.place.kind for item, _ in features})
    byline = ", ".join(x for x in (place_list.article.source, _date(place_list)) if x)
    return Document(
        name=place_list.title,
        description=html.escape(byline) or None,
        styles=[kind_style(kind) for kind in kinds] + [_unverified_style()],
        features=folders,
    )


def placemark(feature: dict[str, Any]) -> Placemark:
    """A place with its GeoJSON geometry, its balloon and its fields as ExtendedData (QGIS reads them as attributes)."""
    props = feature["properties"]
    style_id = UNVERIFIED_STYLE if props["unverified"] else _style_id(props["kind"])
    return Placemark(
        name=props["name"],
        description=description(props),
        style_url=StyleUrl(url=f"#{style_id}"),
        extended_data=ExtendedData(elements=[Data(name=key, value=value) for key, value in fields(props).items()]),
        geometry=shape(feature["geometry"]),
    )


def fields(props: dict[str, Any]) -> dict[str, str]:
    """The annotations a table of placemarks shows, as text."""
    gazetteer = props.get("gazetteer") or {}
    return {
        "kind": props["kind"],
        "layer": props["layer"],
        "precision": props["precision"],
        "radius_km": "" if props.get("radius_km") is None else f"{props['radius_km']:g}",
        "confidence": f"{props['confidence']:.2f}",
        "unverified": "yes" if props["unverified"] else "no",
        "origin": props["origin"],
        "reference": gazetteer.get("ref") or "",
    }


def description(props: dict[str, Any]) -> str:
    """The balloon's HTML: notes, events, sources and how sure the position is, every value escaped."""
    esc = html.escape
    parts = []
    if props["unverified"]:
        parts.append(f"<p><b>Unverified:</b> the gazetteer's best guess (confidence {props['confidence']:.2f}); "
                     "check it before publishing.</p>")  # fmt: skip
    if props["aliases"]:
        parts.append(f"<p>Also: {esc(', '.join(props['aliases']))}</p>")
    if props["notes"]:
        parts.append(f"<p>{esc(props['notes'])}</p>")
    if props["events"]:
        events = "".join(f"<li>{esc(e['date'])}: {esc(e['text'])}</li>" for e in props["events"])
        parts.append(f"<ul>{events}</ul>")
    if props["sources"]:
        parts.append(f"<p>Sources: {esc('; '.join(props['sources']))}</p>")
    precision = "exact position" if props["precision"] == "exact" else f"approximate, within {props['radius_km']:g} km"
    parts.append(f"<p>{esc(props['kind'])} · {esc(precision)} · confidence {props['confidence']:.2f}<br>"
                 f"Coordinates: {esc(props['origin'])}</p>")  # fmt: skip
    return "".join(parts)


def kind_style(kind: str) -> Style:
    """Marker, line and fill in the kind's colour, as the page draws it."""
    colour = style.kind_style(kind).colour
    width = 4.0 if kind == "river" else 2.5
    fill = FILL_ALPHA.get(kind, FILL_ALPHA["default"])
    return Style(id=_style_id(kind), styles=[
        IconStyle(color=kml_colour(colour), scale=1.0, icon=Icon(href=ICON)),
        LineStyle(color=kml_colour(colour), width=width),
        PolyStyle(color=kml_colour(colour, fill)),
    ])  # fmt: skip


def _unverified_style() -> Style:
    colour = style.unverified_colour()
    return Style(id=UNVERIFIED_STYLE, styles=[
        IconStyle(color=kml_colour(colour), scale=1.2, icon=Icon(href=ICON)),
        LineStyle(color=kml_colour(colour), width=3.0),
        PolyStyle(color=kml_colour(colour, FILL_ALPHA["default"])),
    ])  # fmt: skip


def kml_colour(rgb: str, alpha: int = 0xFF) -> str:
    """``#rrggbb`` as KML writes colours: ``aabbggrr`` in hex."""
    red, green, blue = rgb[1:3], rgb[3:5], rgb[5:7]
    return f"{alpha:02x}{blue}{green}{red}".lower()


def _style_id(kind: str) -> str:
    return f"kind-{kind}"


def _date(place_list: PlaceList) -> str:
    return place_list.article.date.isoformat() if place_list.article.date else ""
