"""The resolved place list as CSV: one row per place, for a spreadsheet or QGIS.

Rows come from the GeoJSON features of :mod:`geo.geojson`, so the table says what
the map and the GeoJSON say. ``lat``/``lon`` are where the place's marker goes; the
``wkt`` column holds the whole geometry (QGIS reads it as the layer's geometry). The
text is RFC 4180 CSV (every text cell quoted, CRLF row ends) in UTF-8.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import shapely
from shapely.geometry import shape

from geo import geojson
from geo.placelist import PlaceList
from geo.resolve import Resolution

COLUMNS = ("name", "kind", "layer", "lat", "lon", "precision", "radius_km", "confidence", "unverified",
           "source", "reference", "origin", "notes", "events", "wkt")  # fmt: skip
BOM = "\ufeff"
"""Starts a CSV file so that Excel reads it as UTF-8 rather than the machine's code page."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell a spreadsheet would run as a formula (CSV injection); such text gets a leading apostrophe."""


def dumps(place_list: PlaceList, resolution: Resolution, bom: bool = False) -> str:
    """The table as CSV text (header first, one row per place, file order); ``bom`` for a file a spreadsheet opens."""
    buffer = io.StringIO(BOM if bom else "")
    buffer.seek(0, io.SEEK_END)
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\r\n")
    writer.writeheader()
    for item in resolution.resolved:
        writer.writerow(row(geojson.feature(item, place_list), item.anchor))
    return buffer.getvalue()


def row(feature: dict[str, Any], anchor: tuple[float, float]) -> dict[str, str | float]:
    """One place's cells: numbers as numbers, text made safe to open in a spreadsheet."""
    props = feature["properties"]
    gazetteer = props.get("gazetteer") or {}
    text = {
        "name": props["name"],
        "kind": props["kind"],
        "layer": props["layer"],
        "precision": props["precision"],
        "radius_km": "",
        "unverified": "yes" if props["unverified"] else "no",
        "source": "; ".join(props["sources"]),
        "reference": gazetteer.get("ref") or "",
        "origin": props["origin"],
        "notes": props["notes"] or "",
        "events": "; ".join(f"{e['date']}: {e['text']}" for e in props["events"]),
        "wkt": shapely.to_wkt(shape(feature["geometry"]), rounding_precision=geojson.COORDINATE_DIGITS, trim=True),
    }
    numbers = {
        "lat": round(anchor[0], geojson.COORDINATE_DIGITS),
        "lon": round(anchor[1], geojson.COORDINATE_DIGITS),
        "confidence": round(props["confidence"], 3),
    }
    if props.get("radius_km") is not None:
        numbers["radius_km"] = props["radius_km"]
    return {column: numbers[column] if column in numbers else inert(text[column]) for column in COLUMNS}


def inert(cell: str) -> str:
    """``cell`` as a spreadsheet shows it, never as a formula it would compute."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell
