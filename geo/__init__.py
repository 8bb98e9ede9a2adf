"""geo: the places a news article mentions, as an annotated interactive map.

The public API is what :data:`__all__` lists (see :mod:`geo.api`); every other
module is internal. The pipeline, one module a step: ``placelist`` (read and check
places.yaml) → ``gazetteer`` (names to coordinates) → ``resolve`` and ``geometry``
(placements to geodesic shapes) → ``webmap`` (the folium page) and ``geojson``
(the data). The API is imported on first use, so ``import geo`` stays fast.

>>> import geo
>>> story = geo.load("places.yaml")
>>> story.place("Mosul").ref
'geonames:99072'
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["GeoError", "Place", "Problem", "Story", "__version__", "extract", "load", "lookup"]

if TYPE_CHECKING:
    from geo.api import Place, Problem, Story, extract, load, lookup
    from geo.errors import GeoError

_LAZY = {"GeoError": "geo.errors", "Place": "geo.api", "Problem": "geo.api", "Story": "geo.api",
         "extract": "geo.api", "load": "geo.api", "lookup": "geo.api"}  # fmt: skip
"""Public name → the module that defines it, imported when the name is first used."""


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'geo' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


class _Package(types.ModuleType):
    """The package ``geo``, whose public names a submodule of the same name must not hide.

    Importing the subpackage ``geo.extract`` would otherwise replace the function
    ``geo.extract`` by that module (the import system sets it on its parent).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _LAZY and isinstance(value, types.ModuleType):
            return  # the submodule stays reachable in sys.modules and by `from geo.extract import ...`
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
