"""How far a candidate lies from the nearest of the places an article has settled on.

Picking between homonyms (Paris, France or Texas) weighs each candidate's distance
to the other places of the article. Measured against every other place, that is
quadratic in the number of places; here the places are bucketed by position and
only buckets that could hold something nearer than the best so far are read.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterator

from geo.gazetteer import Match, great_circle_km

_EARTH_RADIUS_KM = 6371.0  # the sphere of great_circle_km
_TIERS = [(0.0, 0.5), (50.0, 1.0), (250.0, 3.0), (1000.0, 10.0), (math.inf, 360.0)]
"""(largest radius in km, cell size in degrees): most places are towns, points without a radius;
a region's radius reaches its buckets' neighbours; the widest (a handful on Earth, or anything
a custom gazetteer gives) share one bucket."""
_SLACK_KM = 1e-6
"""Taken off every lower bound, so rounding never skips a place that ties the best."""


class NearbyPlaces:
    """Places under keys; the distance from a point to the nearest one's edge."""

    def __init__(self, reach_km: float) -> None:
        self.reach_km = reach_km
        self._tiers = [_Tier(radius, cell) for radius, cell in _TIERS]
        self._tier_of: dict[Hashable, _Tier] = {}

    def add(self, key: Hashable, match: Match) -> None:
        radius = match.radius_km or 0.0
        tier = next(t for t in self._tiers if radius <= t.max_radius_km)
        tier.add(key, match)
        self._tier_of[key] = tier

    def discard(self, key: Hashable) -> None:
        tier = self._tier_of.pop(key, None)
        if tier is not None:
            tier.remove(key)

    def gap_km(self, match: Match, skip: Hashable) -> float:
        """The least ``distance - radius`` (at least 0) from ``match`` to a place other than ``skip``;
        ``reach_km`` when none is nearer than that."""
        best = self.reach_km
        for tier in self._tiers:
            best = tier.closest(match, skip, best)
        return best


class _Tier:
    """Places with a radius up to ``max_radius_km``, in cells of ``cell_deg`` degrees of latitude and longitude."""

    def __init__(self, max_radius_km: float, cell_deg: float) -> None:
        self.max_radius_km = max_radius_km
        self.cell_deg = cell_deg
        self.cell_km = math.radians(cell_deg) * _EARTH_RADIUS_KM
        self.rows = max(1, math.ceil(180 / cell_deg))
        self.cols = max(1, math.ceil(360 / cell_deg))
        self.cells: dict[tuple[int, int], dict[Hashable, Match]] = {}
        self.cell_of: dict[Hashable, tuple[int, int]] = {}

    def add(self, key: Hashable, match: Match) -> None:
        cell = (self._row(match.lat), self._col(match.lon))
        self.cells.setdefault(cell, {})[key] = match
        self.cell_of[key] = cell

    def remove(self, key: Hashable) -> None:
        cell = self.cell_of.pop(key)
        bucket = self.cells[cell]
        del bucket[key]
        if not bucket:
            del self.cells[cell]

    def closest(self, match: Match, skip: Hashable, best: float) -> float:
        """``best`` lowered to the gap of a nearer place of this tier, if any."""
        read: set[tuple[int, int]] = set()
        # the cells next to the point first; further ones only if something there could still be nearer
        for reach in (2 * self.cell_km, math.inf):
            reach = min(reach, best + self.max_radius_km)
            around = [c for c in self._cells_within(match.lat, match.lon, reach) if c in self.cells and c not in read]
            read.update(around)
            for bound, cell in sorted((self._lower_bound_km(match.lat, match.lon, *cell), cell) for cell in around):
                if bound - self.max_radius_km >= best:
                    break
                for key, other in self.cells[cell].items():
                    if key == skip:
                        continue
                    gap = max(0.0, great_circle_km(match.lat, match.lon, other.lat, other.lon) - (other.radius_km or 0.0))
                    if gap < best:
                        best = gap
            if best + self.max_radius_km <= reach:  # anything unread lies further than ``reach``
                break
        return best

    def _row(self, lat: float) -> int:
        return min(self.rows - 1, max(0, math.floor((lat + 90.0) / self.cell_deg)))

    def _col(self, lon: float) -> int:
        return math.floor((lon + 180.0) / self.cell_deg) % self.cols

    def _cells_within(self, lat: float, lon: float, km: float) -> Iterator[tuple[int, int]]:
        """Every cell that may hold a point within ``km`` of (lat, lon)."""
        angle = km / _EARTH_RADIUS_KM
        rows, cols = range(self.rows), range(self.cols)
        if angle >= math.pi:  # the whole sphere
            yield from ((row, col) for row in rows for col in cols)
            return
        dlat = math.degrees(angle)
        rows = range(self._row(lat - dlat), self._row(lat + dlat) + 1)
        cos_lat = math.cos(math.radians(lat))
        if angle < math.pi / 2 and abs(lat) + dlat < 90.0 and math.sin(angle) < cos_lat:
            # off the poles, a point d away differs in longitude by at most asin(sin d / cos lat)
            dlon = math.degrees(math.asin(math.sin(angle) / cos_lat))
            first, last = math.floor((lon - dlon + 180.0) / self.cell_deg), math.floor((lon + dlon + 180.0) / self.cell_deg)
            if last - first + 1 < self.cols:
                cols = range(first, last + 1)
        for row in rows:
            for col in cols:
                yield row, col % self.cols

    def _lower_bound_km(self, lat: float, lon: float, row: int, col: int) -> float:
        """No point of the cell is nearer to (lat, lon) than this.

        A point is at least its latitude difference away, and at least as far as the
        meridian it lies on: asin(cos lat · sin Δlon) for a longitude gap up to 90°.
        """
        south = row * self.cell_deg - 90.0
        north = south + self.cell_deg
        dlat = max(0.0, south - lat, lat - north)
        west = col * self.cell_deg - 180.0
        east_gap = (west - lon) % 360.0  # eastwards from the point to the cell's west side
        dlon = 0.0 if east_gap + self.cell_deg >= 360.0 else min(east_gap, 360.0 - east_gap - self.cell_deg)
        meridian = math.asin(min(1.0, math.cos(math.radians(lat)) * math.sin(math.radians(min(dlon, 90.0)))))
        return max(math.radians(dlat), meridian) * _EARTH_RADIUS_KM - _SLACK_KM
