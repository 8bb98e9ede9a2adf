"""The gazetteer index for tests: built once (≈45 s) into a temporary cache and reused while current."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

CACHE = Path(os.environ.get("GEO_CACHE_DIR") or Path(tempfile.gettempdir()) / "geo-test-gazetteer")
"""A GEO_CACHE_DIR set by the caller wins: sessions building different index formats on one machine don't clash."""


def use_test_index() -> Path:
    """Point GEO_CACHE_DIR at the test cache and build the index there unless it is current."""
    os.environ["GEO_CACHE_DIR"] = str(CACHE)
    from geo.gazetteer.index import build, index_path, is_current

    path = index_path()
    if not is_current(path):
        build(path)
    return path
