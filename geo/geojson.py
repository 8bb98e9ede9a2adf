"""The resolved place list as an RFC 7946 GeoJSON FeatureCollection."""

from __future__ import annotations

import json
from typing import Any

from shapely.geometry import mapping
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
    if shape.geom_type == "Polygon":
        shape = orient(shape, 1.0)
    elif shape.geom_type == "MultiPolygon":
        shape = type(shape)([orient(p, 1.0) for p in shape.geoms])
    return _rounded(mapping(shape))


def _rounded(value: Any) -> Any:
    """shapely's mapping as JSON values (lists, not tuples) with every coordinate rounded."""
    if isinstance(value, float):
        return round(value, COORDINATE_DIGITS)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, (tuple, list)):
        return [_rounded(item) for item in value]
    return value


def dumps(collection: dict[str, Any]) -> str:
    """The collection as JSON text; a NaN or an infinity (which JSON cannot hold) is a bug, raised here."""
    return json.dumps(collection, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
