"""Which places carry the story: the main place, the places the opening view frames, and
which label gives way when two collide.

A reader should open the map on the story, not on the world. A draft place list names
countries a few hundred kilometres wide, namesakes the gazetteer could only guess,
and now and then a place on another continent; framing all of them opens the map at
zoom 2 with the story's own places a few pixels apart. So:

- ``map.focus`` names the places to frame, the first of them the main place;
- without it, the main place is the one that matters most (mentions, then kind, then
  file order), and the view frames the places around it that are neither countries,
  regions, other wide areas, rivers, borders nor unverified: those within
  :data:`LOCAL_KM`, and those within :data:`NEAR_KM` that the article names at least
  :data:`FAR_SHARE` as often as the main place (a city named once in passing, a few
  hundred kilometres off, is context, not the scene).

Everything else stays one click away (the "All" view). The page builder uses this
module, and so can whatever writes ``map.focus`` (``geo extract``):
:func:`focus_names` gives the names it should write.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from geo import geometry
from geo.placelist import PlaceList
from geo.resolve import Resolved

LOCAL_KM = 150.0
"""Places this close to the main place are its scene: they always join the opening view."""
NEAR_KM = 800.0
"""Farther than this from the main place, a place does not widen the opening view."""
FAR_SHARE = 0.5
"""Between the two, a place joins the opening view if the article names it at least this share as often as the main place."""
WIDE_KM = 150.0
"""A place whose extent (or uncertainty) reaches farther than this is context, like a country."""
CONTEXT_KINDS = frozenset({"country", "region", "continent"})
LINE_KINDS = frozenset({"river", "border"})

KIND_RANK = {
    "capital": 0, "city": 0, "town": 1, "district": 2, "site": 2, "base": 2, "village": 3, "zone": 3,
    "crossing": 4, "other": 4, "river": 5, "border": 6, "region": 7, "country": 8,
}  # fmt: skip
"""How much a kind matters when two labels collide: a city before a village, both before a border."""


@dataclass(frozen=True)
class StoryFocus:
    """The main place, the places the opening view frames, and every place's label priority."""

    main: Resolved | None
    framed: tuple[Resolved, ...]
    priority: tuple[int, ...]
    """Per place of the resolution, in its order: 0 for the main place, then upwards."""


def story_focus(place_list: PlaceList, resolved: Sequence[Resolved], mentions: Mapping[str, int] | None = None) -> StoryFocus:
    """What the opening view frames and which labels win, for a resolved place list.

    ``mentions`` counts how often the article names each place (by place name); places
    it does not list count once.
    """
    counts = mentions or {}
    focus_order = _focus_order(place_list, resolved)

    def importance(index: int) -> tuple[int, int, int, int]:
        item = resolved[index]
        in_focus = focus_order.get(index)
        return (
            0 if in_focus is not None else 1,
            in_focus if in_focus is not None else 0,
            -counts.get(item.place.name, 1),
            KIND_RANK.get(item.place.kind, KIND_RANK["other"]),
        )

    ranked = sorted(range(len(resolved)), key=lambda i: (*importance(i), i))
    if focus_order:
        chosen = [resolved[i] for i in sorted(focus_order, key=focus_order.__getitem__)]
        framed = [item for item in chosen if not item.unverified] or chosen
        main = framed[0]
    else:
        main, framed = _automatic(place_list, [resolved[i] for i in ranked], counts)
    if main is not None:
        main_index = next(i for i, item in enumerate(resolved) if item is main)
        ranked.remove(main_index)
        ranked.insert(0, main_index)
    priority = [0] * len(resolved)
    for rank, index in enumerate(ranked):
        priority[index] = rank
    return StoryFocus(main=main, framed=tuple(framed), priority=tuple(priority))


def focus_names(place_list: PlaceList, resolved: Sequence[Resolved], mentions: Mapping[str, int] | None = None) -> list[str]:
    """The names a place list's ``map.focus`` should give: the main place first."""
    found = story_focus(place_list, resolved, mentions)
    return [item.place.name for item in found.framed]


def _focus_order(place_list: PlaceList, resolved: Sequence[Resolved]) -> dict[int, int]:
    """{index in ``resolved``: position in ``map.focus``} of the places the file's focus names."""
    wanted = {name.casefold(): position for position, name in enumerate(place_list.map.focus)}
    order: dict[int, int] = {}
    for index, item in enumerate(resolved):
        positions = [wanted[n.casefold()] for n in (item.place.name, *item.place.aliases) if n.casefold() in wanted]
        if positions:
            order[index] = min(positions)
    return order


def _automatic(place_list: PlaceList, ranked: list[Resolved], counts: Mapping[str, int]) -> tuple[Resolved | None, list[Resolved]]:
    """The main place and its scene, from places ranked by importance."""
    if not ranked:
        return None, []
    shown = {layer.id for layer in place_list.layers if layer.show}
    visible = [item for item in ranked if item.place.layer in shown] or ranked
    candidates = (
        [item for item in visible if _carries_story(item) and item.place.kind not in LINE_KINDS and not _is_line(item)]
        or [item for item in visible if _carries_story(item)]
        or [item for item in visible if not item.unverified]
        or visible
    )  # fmt: skip
    main = candidates[0]
    main_count = counts.get(main.place.name, 1)

    def in_scene(item: Resolved) -> bool:
        distance = geometry.distance_km(main.anchor, item.anchor)
        return distance <= LOCAL_KM or (distance <= NEAR_KM and counts.get(item.place.name, 1) >= FAR_SHARE * main_count)

    return main, [item for item in candidates if in_scene(item)]


def _carries_story(item: Resolved) -> bool:
    """Neither a guess, nor a country, region or other area too wide to frame a story."""
    if item.unverified or item.place.kind in CONTEXT_KINDS:
        return False
    if item.match is not None and item.match.kind in CONTEXT_KINDS:
        return False
    return not is_wide(item)


def is_wide(item: Resolved) -> bool:
    """Whether the place spans more than :data:`WIDE_KM` from its anchor (a country, a big region)."""
    if item.precision == "approximate" and item.radius_km and item.radius_km > WIDE_KM:
        return True
    if item.geometry.geom_type in ("Polygon", "MultiPolygon"):
        west, south, east, north = item.geometry.bounds
        corners = ((south, west), (north, east))
        return max(geometry.distance_km(item.anchor, corner) for corner in corners) > WIDE_KM
    return False


def _is_line(item: Resolved) -> bool:
    return item.geometry.geom_type in ("LineString", "MultiLineString")
