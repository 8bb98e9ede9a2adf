"""Symbols and colours by kind: one table (``static/kinds.json``) for the page, the render and the KML.

The page's script receives the table with its data, and Python reads the same file,
so a map on the web, on paper and in Google Earth speaks one visual language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

KINDS_PATH = Path(__file__).parent / "static" / "kinds.json"


@dataclass(frozen=True)
class KindStyle:
    legend: str
    """The legend's words for the kind; kinds drawn alike share them (city, town → Settlement)."""
    colour: str
    """``#rrggbb``."""


@cache
def table() -> dict[str, Any]:
    """The table as the page receives it: ``{"kinds": {kind: [legend, colour]}, "unverified": colour}``."""
    return json.loads(KINDS_PATH.read_text(encoding="utf-8"))


def kind_style(kind: str) -> KindStyle:
    """The style of ``kind``; a kind the table lacks is drawn as "other"."""
    kinds = table()["kinds"]
    legend, colour = kinds.get(kind, kinds["other"])
    return KindStyle(legend, colour)


def unverified_colour() -> str:
    """The colour that marks a guess, whatever its kind."""
    return str(table()["unverified"])
