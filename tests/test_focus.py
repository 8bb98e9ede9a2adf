"""What frames the story: the main place, the places the opening view frames, label priority,
and the ``map.focus`` that ``geo extract`` writes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from click.testing import CliRunner

from geo import focus, geometry, placelist, webmap
from geo.cli import main
from geo.gazetteer import builtin
from geo.resolve import Resolved, resolve

DRAFT = """\
title: A drafted story
places:
  - name: United States
    kind: country
    area: {center: [39.8, -98.6], radius_km: 1600}
  - name: Syria
    kind: country
    polygon: [[32.3, 35.7], [37.3, 36.0], [37.1, 42.4], [33.4, 41.0]]
  - name: Raqqa
    kind: city
    point: [35.95, 39.01]
  - name: Euphrates
    kind: river
    line: [[37.2, 38.2], [35.95, 39.0], [33.0, 44.0], [31.0, 47.4]]
  - name: Hazima
    kind: village
    point: [36.08, 39.0]
  - name: Tabqa
    kind: town
    point: [35.84, 38.55]
  - name: Mosul
    kind: city
    point: [36.34, 43.12]
  - name: Washington
    kind: capital
    point: [38.9, -77.04]
  - name: Old City
    kind: district
    point: [40.1, -75.1]
"""


def resolved(text: str, unverified: tuple[str, ...] = ()) -> tuple[placelist.PlaceList, list[Resolved]]:
    """A place list resolved with the built-in gazetteer; the names in ``unverified`` made guesses."""
    place_list = placelist.parse(text, Path("places.yaml"))
    items = [
        dataclasses.replace(item, confidence=0.3) if item.place.name in unverified else item
        for item in resolve(place_list, builtin()).resolved
    ]
    return place_list, items


def names(items: tuple[Resolved, ...] | list[Resolved]) -> set[str]:
    return {item.place.name for item in items}


def test_the_opening_view_frames_the_story_not_countries_rivers_guesses_or_other_continents() -> None:
    place_list, items = resolved(DRAFT, unverified=("Old City",))
    found = focus.story_focus(place_list, items)
    assert found.main is not None and found.main.place.name == "Raqqa"
    assert names(found.framed) == {"Raqqa", "Hazima", "Tabqa", "Mosul"}  # the country outline pulls nothing
    south, west, north, east = webmap._bounds(list(found.framed))
    assert geometry.distance_km((south, west), (north, east)) < 1000
    # The main place's label comes first, the countries' last.
    order = [items[i].place.name for i in sorted(range(len(items)), key=lambda i: found.priority[i])]
    assert order[0] == "Raqqa" and set(order[-2:]) == {"United States", "Syria"}


def test_a_place_named_once_in_passing_far_off_is_context_not_the_scene() -> None:
    place_list, items = resolved(DRAFT)
    found = focus.story_focus(place_list, items, mentions={"Raqqa": 12, "Hazima": 1, "Tabqa": 2, "Mosul": 2})
    assert names(found.framed) == {"Raqqa", "Hazima", "Tabqa"}  # Mosul, 370 km off, is named a sixth as often
    found = focus.story_focus(place_list, items, mentions={"Raqqa": 4, "Mosul": 3})
    assert "Mosul" in names(found.framed)  # a second scene of the story


def test_the_first_place_in_the_file_is_not_the_main_one_because_it_comes_first() -> None:
    place_list, items = resolved(
        "title: t\nplaces:\n  - {name: Hazima, kind: village, point: [36.08, 39.0]}\n  - {name: Raqqa, kind: city, point: [35.95, 39.01]}\n"
    )
    found = focus.story_focus(place_list, items)
    assert found.main is not None and found.main.place.name == "Raqqa"


def test_mentions_outweigh_kind() -> None:
    place_list, items = resolved(DRAFT)
    found = focus.story_focus(place_list, items, mentions={"Hazima": 5, "Raqqa": 2})
    assert found.main is not None and found.main.place.name == "Hazima"
    assert found.priority[[i.place.name for i in items].index("Hazima")] == 0
    assert focus.focus_names(place_list, items, {"Hazima": 5})[0] == "Hazima"


def test_map_focus_is_what_the_view_frames_and_its_first_place_the_main_one() -> None:
    text = DRAFT.replace("title: A drafted story\n", "title: A drafted story\nmap: {focus: [Tabqa, Washington, old city]}\n")
    place_list, items = resolved(text, unverified=("Old City",))
    found = focus.story_focus(place_list, items)
    assert found.main is not None and found.main.place.name == "Tabqa"
    assert [i.place.name for i in found.framed] == ["Tabqa", "Washington"]  # a person's choice, but not a guess
    data = webmap.story_data(place_list, resolve(place_list, builtin()))
    assert data["all"][1] < -90 and data["all"][3] > 38  # "All" still reaches every place shown


def test_a_list_with_only_guesses_or_nothing_still_has_a_view() -> None:
    place_list, items = resolved("title: t\nplaces:\n  - {name: A, point: [10, 10]}\n  - {name: B, point: [50, 50]}\n", unverified=("A", "B"))
    found = focus.story_focus(place_list, items)
    assert found.main is not None and found.main.place.name == "A" and found.framed
    empty = placelist.parse("title: t\nplaces: []\n", Path("p.yaml"))
    assert focus.story_focus(empty, []).main is None
    assert webmap._bounds([]) == webmap.WORLD


def test_the_main_place_is_labelled_even_in_a_layer_hidden_at_start() -> None:
    text = "title: t\nlayers:\n  a: {title: A, show: false}\nplaces:\n  - {name: Raqqa, kind: city, layer: a, point: [35.95, 39.01]}\n"
    place_list = placelist.parse(text, Path("p.yaml"))
    data = webmap.story_data(place_list, resolve(place_list, builtin()))
    assert [(p["name"], p["main"], p["label"], p["priority"]) for p in data["places"]] == [("Raqqa", True, True, 0)]


def test_the_article_s_mentions_choose_the_main_place() -> None:
    place_list, _ = resolved(DRAFT)
    article = "Fighting reached Hazima. Hazima fell on Tuesday; Hazima's people fled. Raqqa was quiet."
    data = webmap.build(place_list, resolve(place_list, builtin()), article=article)._children
    story = next(child for child in data.values() if isinstance(child, webmap.Story))
    assert '"name":"Hazima"' in story.data and '"main":true' in story.data
    assert story.data.index('"main":true') > story.data.index('"name":"Hazima"') > story.data.index('"name":"Raqqa"')


def test_extract_writes_the_focus_the_article_names_most_first(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(
        "Fighters entered Raqqa on Tuesday. In Raqqa, residents fled as Raqqa burned. "
        "Aid reached Mosul, officials in Washington said.\n",
        encoding="utf-8",
    )
    draft = tmp_path / "draft.yaml"
    result = CliRunner().invoke(main, ["extract", str(article), "-o", str(draft)])
    assert result.exit_code == 0, result.output
    place_list = placelist.load(draft)
    assert place_list.map.focus and place_list.map.focus[0] == "Raqqa"
    assert "Washington" not in place_list.map.focus and "Mosul" not in place_list.map.focus
