"""The place-list format and every way it can be wrong."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from geo import placelist
from geo.errors import PlaceListError
from geo.placelist import Area, Lookup, Point, Relative, Zone

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
title: Test
layers:
  front: {title: Front}
places:
  - name: Town
    kind: city
    area: {center: [35.9, 39.0], km2: 35}
  - name: Camp
    relative: {of: Town, distance_km: 2, bearing: NNE, from: edge}
  - name: Zone
    zone: {around: Camp, radius_km: 5}
  - name: Syria
    kind: country
"""


def test_the_format_parses_into_typed_places() -> None:
    places = placelist.parse(GOOD, "t.yaml").places
    assert isinstance(places[0].placement, Area) and places[0].placement.radius_km == pytest.approx(3.3377, abs=1e-3)
    assert places[1].placement == Relative(of="Town", distance_km=2, bearing_deg=22.5, measure_from="edge")
    assert places[2].placement == Zone(around="Camp", radius_km=5)
    assert places[3].placement == Lookup()
    assert [p.layer for p in places] == ["front"] * 4


def test_references_resolve_whatever_their_order() -> None:
    text = GOOD.replace("  - name: Town\n    kind: city\n    area: {center: [35.9, 39.0], km2: 35}\n", "")
    text += "  - name: Town\n    point: [35.9, 39.0]\n"
    assert [p.name for p in placelist.parse(text).places][-1] == "Town"


def test_places_yaml_of_the_repository_is_valid_against_the_schema() -> None:
    schema = json.loads(placelist.SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    loaded = placelist.load(ROOT / "places.yaml")
    assert len(loaded.places) >= 20
    raw = YAML(typ="safe").load((ROOT / "places.yaml").read_text())
    raw["article"]["date"] = raw["article"]["date"].isoformat()
    for place in raw["places"]:
        for event in place.get("events", []):
            event["date"] = event["date"].isoformat()
    jsonschema.validate(raw, schema)


def error_for(text: str) -> PlaceListError:
    with pytest.raises(PlaceListError) as caught:
        placelist.parse(text, "bad.yaml")
    return caught.value


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("title: T\nplaces:\n  - name: A\n    point: [1, 2\n", 5, "not valid YAML"),
        ("title: T\nplaces:\n  - name: A\n    nmae: B\n    point: [1, 2]\n", 4, "unknown key 'nmae'"),
        ("title: T\nplaces:\n  - name: A\n    point: [1, x]\n", 4, "must be a number"),
        ("title: T\nplaces:\n  - name: A\n    point: [95, 20]\n", 4, "out of range"),
        ("title: T\nplaces:\n  - name: A\n    relative: {of: Nowhere, distance_km: 2, bearing: N}\n", 4, "unknown place 'Nowhere'"),
        (
            "title: T\nplaces:\n  - name: A\n    zone: {around: B, radius_km: 2}\n"
            "  - name: B\n    relative: {of: A, distance_km: 2, bearing: N}\n",
            3, "reference cycle: A -> B -> A",
        ),
        ("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n  - name: A\n    point: [1, 3]\n", 5, "used twice"),
        ("title: T\nplaces:\n  - name: A\n    kind: citty\n    point: [1, 2]\n", 4, "'citty' is not allowed"),
        ("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n    line: [[1, 2], [3, 4]]\n", 5, "both 'point' and 'line'"),
        ("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n    precision: approximate\n", 5, "no radius_km"),
        ("title: T\nplaces:\n  - name: A\n    relative: {of: A, distance_km: 2, bearing: upward}\n", 4, "bearing 'upward'"),
        ("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n    layer: nope\n", 5, "unknown layer 'nope'"),
        ("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n  - name: B\n    name: C\n", 6, "a key appears twice"),
        ("places:\n  - name: A\n", 1, "has no 'title'"),
    ],
)
def test_each_mistake_gives_one_line_with_file_line_and_fix(text: str, line: int, words: str) -> None:
    error = error_for(text)
    message = str(error)
    assert message.startswith(f"bad.yaml:{line}: "), message
    assert words in message
    assert "\n" not in message
    assert "; " in message  # the fix follows the problem


def test_an_unknown_key_suggests_the_right_one() -> None:
    assert "did you mean 'name'?" in str(error_for("title: T\nplaces:\n  - nmae: A\n    name: B\n"))


def test_an_impossible_latitude_says_how_points_are_written() -> None:
    message = str(error_for("title: T\nplaces:\n  - name: A\n    point: [95, 20]\n"))
    assert "latitudes run from -90 to 90" in message and "[lat, lon]" in message


def test_a_missing_file_is_a_place_list_error(tmp_path: Path) -> None:
    with pytest.raises(PlaceListError, match="no such file"):
        placelist.load(tmp_path / "nope.yaml")


def test_compass_words_and_degrees() -> None:
    base = "title: T\nplaces:\n  - name: A\n    point: [1, 2]\n  - name: B\n    relative: {of: A, distance_km: 1, bearing: %s}\n"
    for word, degrees in [("north", 0), ("SW", 225), ("north-east", 45), ("northwest", 315), ("100", 100)]:
        place = placelist.parse(base % word).places[1]
        assert isinstance(place.placement, Relative) and place.placement.bearing_deg == degrees
    assert isinstance(placelist.parse(base % "E").places[0].placement, Point)
