"""The resolved place list as an RFC 7946 GeoJSON FeatureCollection."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from geo.placelist import PlaceList
from geo.resolve import Resolution, Resolved

COORDINATE_DIGITS = 6
"""About 10 cm: finer than any source of the place list."""


def feature_collection(place_list: PlaceList, resolution: Resolution) -> dict[str, Any]:
    """All resolved places as features, in file order, with their annotations."""
    return {
        "type": "FeatureCollection",
        "features": [feature(item, place_list) for item in resolution.resolved],
    }


def feature(item: Resolved, place_list: PlaceList) -> dict[str, Any]:
    place = item.place
    properties: dict[str, Any] = {
        "name": place.name,
        "aliases": list(place.aliases),
        "kind": place.kind,
        "precision": item.precision,
        "notes": place.notes,
        "events": [{"date": e.date.isoformat(), "text": e.text} for e in place.events],
        "sources": list(place.sources),
        "layer": place_list.layer(place.layer).title,
        "origin": item.origin,
    }
    if item.precision == "approximate":
        properties["radius_km"] = item.radius_km
    properties["confidence"] = item.confidence
    properties["unverified"] = item.unverified
    if item.match is not None:
        properties["gazetteer"] = {"source": item.match.source, "id": item.match.id, "ref": item.match.ref,
                                   "score": item.match.score}  # fmt: skip
    return {"type": "Feature", "geometry": geometry(item.geometry), "properties": properties}


def geometry(shape: BaseGeometry) -> dict[str, Any]:
    """RFC 7946 geometry: (lon, lat), rounded, outer rings counter-clockwise."""
    if shape.geom_type == "GeometryCollection":
        return {"type": shape.geom_type, "geometries": [geometry(part) for part in shape.geoms]}
    if shape.geom_type == "Polygon":
        shape = orient(shape, 1.0)
    elif shape.geom_type == "MultiPolygon":
        shape = type(shape)([orient(p, 1.0) for p in shape.geoms])
    return {"type": shape.geom_type, "coordinates": _coordinates(shape)}


def _coordinates(shape: BaseGeometry) -> list[Any]:
    """A shape's GeoJSON ``coordinates``, as shapely's ``mapping`` nests them, rounded."""
    if shape.is_empty:
        return []
    if shape.geom_type.startswith("Multi"):
        return [_coordinates(part) for part in shape.geoms]
    if shape.geom_type == "Polygon":
        return [_rounded(ring.coords) for ring in (shape.exterior, *shape.interiors)]
    points = _rounded(shape.coords)
    return points[0] if shape.geom_type == "Point" else points


def _rounded(coords: Any) -> list[list[float]]:
    """``round(x, COORDINATE_DIGITS)`` of every coordinate, without a Python call per number (a country has thousands).

    Scaled to whole units, ``rint`` gives the integer of Python's correctly rounded decimal,
    and dividing it back gives the same float, unless the scaled value lies within its
    rounding error of a half, or the number is no longer a degree: those few (and NaN)
    are rounded one by one.
    """
    exact = np.asarray(coords, dtype=float)
    scale = 10.0**COORDINATE_DIGITS
    scaled = exact * scale
    rounded = np.rint(scaled) / scale
    unsure = (np.abs(scaled % 1.0 - 0.5) < 1e-6) | ~(np.abs(exact) <= 1000.0)
    for index in zip(*np.nonzero(unsure)):
        rounded[index] = round(float(exact[index]), COORDINATE_DIGITS)
    return rounded.tolist()


def dumps(collection: dict[str, Any]) -> str:
    """The collection as JSON text; a NaN or an infinity (which JSON cannot hold) is a bug, raised here."""
    return json.dumps(collection, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
