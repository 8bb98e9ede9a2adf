"""Map tiles under a static render, only when asked for and only when they can be fetched.

A render needs no network: its basemap is the page's offline one. ``geo render --tiles``
asks for one of the page's tile basemaps (``street``, ``satellite``, ``light``) or an
``{z}/{x}/{y}`` URL template (a newsroom's own tile server); the tiles covering the image
are fetched at the zoom the page would show and stitched into one picture. When a tile
cannot be fetched, :class:`TilesUnavailable` says why and the render keeps the offline
basemap.
"""

from __future__ import annotations

import io
import math
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

WORLD_M = 40_075_016.686
EDGE_M = WORLD_M / 2
TILE_PX = 256
MAX_TILES = 150
"""Tiles one render may fetch: an A4 print at the page's zoom needs about 24."""
TIMEOUT_S = 10.0
USER_AGENT = "geo (static map render)"


class TilesUnavailable(Exception):
    """The tiles could not be fetched: the message says which and why."""


@dataclass(frozen=True)
class TileSource:
    url: str
    """A template with ``{z}``, ``{x}`` and ``{y}``."""
    max_zoom: int
    credit: str


@dataclass(frozen=True)
class Mosaic:
    image: Any
    """An RGB array, north up."""
    extent: tuple[float, float, float, float]
    """(xmin, xmax, ymin, ymax) in Web Mercator metres, as matplotlib's imshow takes it."""
    credit: str


def source(name: str) -> TileSource:
    """The page's basemap ``name``, or a URL template; a ValueError names what it takes."""
    if "{z}" in name and "{x}" in name and "{y}" in name:
        return TileSource(name, 19, f"Tiles: {urlsplit(name).hostname or name}")
    import xyzservices

    from geo.webmap import BASEMAPS

    if name not in BASEMAPS:
        raise ValueError(f"give {', '.join(BASEMAPS)} or a tile URL template with {{z}}, {{x}} and {{y}}")
    group, provider_name = BASEMAPS[name][1]
    provider = xyzservices.providers[group][provider_name]
    return TileSource(provider.build_url(), int(provider.get("max_zoom", 19)), f"Tiles: {provider.get('attribution', '')}")


def mosaic(tiles: TileSource, frame: tuple[float, float, float, float], zoom: int) -> Mosaic:
    """The tiles at ``zoom`` (the source's finest at most) that cover ``frame``, stitched together."""
    import numpy as np
    from PIL import Image

    zoom = max(0, min(zoom, tiles.max_zoom))
    count = 2**zoom
    tile_m = WORLD_M / count
    x0, ymin, x1, ymax = frame
    columns = range(max(0, math.floor((x0 + EDGE_M) / tile_m)), min(count, math.ceil((x1 + EDGE_M) / tile_m)))
    rows = range(max(0, math.floor((EDGE_M - ymax) / tile_m)), min(count, math.ceil((EDGE_M - ymin) / tile_m)))
    if len(columns) * len(rows) > MAX_TILES:
        raise TilesUnavailable(f"the view needs {len(columns) * len(rows)} tiles at zoom {zoom}, more than {MAX_TILES}")
    wanted = [(x, y) for y in rows for x in columns]
    with ThreadPoolExecutor(max_workers=8) as pool:
        images = list(pool.map(lambda xy: _tile(tiles.url, zoom, *xy), wanted))
    canvas = Image.new("RGB", (len(columns) * TILE_PX, len(rows) * TILE_PX))
    for (x, y), image in zip(wanted, images):
        canvas.paste(image, ((x - columns.start) * TILE_PX, (y - rows.start) * TILE_PX))
    extent = (
        columns.start * tile_m - EDGE_M, columns.stop * tile_m - EDGE_M,
        EDGE_M - rows.stop * tile_m, EDGE_M - rows.start * tile_m,
    )  # fmt: skip
    return Mosaic(np.asarray(canvas), extent, tiles.credit)


def _tile(template: str, zoom: int, x: int, y: int) -> Any:
    from PIL import Image, UnidentifiedImageError

    url = template.replace("{z}", str(zoom)).replace("{x}", str(x)).replace("{y}", str(y)).replace("{s}", "a")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:  # noqa: S310 (the user's own URL)
            data = response.read()
        image = Image.open(io.BytesIO(data)).convert("RGB")
    except (urllib.error.URLError, OSError, UnidentifiedImageError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise TilesUnavailable(f"{url}: {reason}") from None
    return image.resize((TILE_PX, TILE_PX)) if image.size != (TILE_PX, TILE_PX) else image
