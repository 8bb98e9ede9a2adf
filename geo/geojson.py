"""The resolved place list as an RFC 7946 GeoJSON FeatureCollection."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import shapely
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
    return _mapping(shape)


def _mapping(shape: BaseGeometry) -> dict[str, Any]:
    """shapely's ``mapping`` of the shape, with lists for tuples and every coordinate rounded."""
    if shape.geom_type == "GeometryCollection":
        return {"type": shape.geom_type, "geometries": [_mapping(part) for part in shape.geoms]}
    return {"type": shape.geom_type, "coordinates": _coordinates(shape)}


def _coordinates(shape: BaseGeometry) -> list[Any]:
    """A shape's GeoJSON ``coordinates``, nested as shapely's ``mapping`` nests them, rounded.

    Every point is rounded at once, then cut into the shape's lines and rings: Russia
    has 213 islands, and a numpy call per island would cost more than the rounding.
    """
    kind = shape.geom_type
    parts = shapely.get_parts(shape)
    if shape.is_empty or shapely.is_empty(parts).any():  # shapely's own nesting of what is missing
        return _rounded_each(mapping(shape)["coordinates"])
    points = _rounded(shapely.get_coordinates(shape, include_z=shape.has_z))
    if kind == "Point":
        return points[0]
    if kind in ("LineString", "LinearRing", "MultiPoint"):
        return points
    pieces = shapely.get_rings(parts) if kind.endswith("Polygon") else parts  # rings, or lines, in point order
    ends = np.cumsum(shapely.get_num_coordinates(pieces)).tolist()
    lines = [points[start:end] for start, end in zip([0, *ends], ends)]
    if kind != "MultiPolygon":
        return lines
    rings = iter(lines)
    return [[next(rings) for _ in range(holes + 1)] for holes in shapely.get_num_interior_rings(parts).tolist()]


def _rounded_each(value: Any) -> Any:
    """Nested tuples of coordinates as lists, each number rounded."""
    if isinstance(value, float):
        return round(value, COORDINATE_DIGITS)
    return [_rounded_each(item) for item in value] if isinstance(value, (tuple, list)) else value


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
    with np.errstate(invalid="ignore"):  # NaN is unsure, without a warning
        unsure = (np.abs(scaled % 1.0 - 0.5) < 1e-6) | ~(np.abs(exact) <= 1000.0)
    for index in zip(*np.nonzero(unsure)):
        rounded[index] = round(float(exact[index]), COORDINATE_DIGITS)
    return rounded.tolist()


def dumps(collection: dict[str, Any]) -> str:
    """The collection as JSON text; a NaN or an infinity (which JSON cannot hold) is a bug, raised here."""
    return json.dumps(collection, ensure_ascii=False, indent=1, allow_nan=False) + "\n"
