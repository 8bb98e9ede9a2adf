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
        # Values no check downstream should meet, refused where they are written.
        ("title: T\nplaces:\n  - name: A\n    point: [.nan, 2]\n", 4, ".nan is not a finite number"),
        ("title: T\nplaces:\n  - name: A\n    notes: .NaN\n    point: [1, 2]\n", 4, ".NaN is not a finite number"),
        ("title: T\nplaces:\n  - name: A\n    area: {center: [1, 2], km2: 1e400}\n", 4, "1e400 is not a finite number"),
        ("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n  - name: B\n    relative: {of: A, distance_km: -.inf, bearing: N}\n", 6, "-.inf is not"),
        ("title: T\nplaces:\n  - name: A\n    point: [" + "9" * 5000 + ", 2]\n", 4, "a number of 5,000 digits"),
        ("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n  - name: B\n    zone: {around: A, radius_km: 1.0e+12}\n", 6, "radius_km: 1000000000000.0 is out of range; give a radius in km, more than 0 and at most 10,000"),
        ("title: T\nplaces:\n  - name: A\n    area: {center: [1, 2], km2: 1.0e+308}\n  - name: B\n    point: [1, 3]\n    checks: [{of: A, distance_km: 2, from: edge, says: x}]\n", 4, "km2: 1e+308 is out of range"),
        ("title: T\nplaces:\n  - name: A\n    area: {center: [1, 2], km2: 6.0e+8}\n", 4, "at most 250,000,000 (about a hemisphere"),
        ("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n  - name: B\n    relative: {of: A, distance_km: 20005, bearing: N}\n", 6, "distance_km: 20005 is out of range; give the distance in km, from 0 to 20,004"),
        ("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n    checks: [{of: A, distance_km: 1e9, says: x}]\n", 5, "out of range"),
        ("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n    precision: approximate\n    radius_km: 12000\n", 6, "out of range"),
        ("title: T\narticle: {date: 2017-02-30}\nplaces:\n  - name: A\n", 2, "article, date: 2017-02-30 is not a date of the calendar (day is out of range for month)"),
        ("title: T\nplaces:\n  - name: A\n    events:\n      - {date: 2017-06-07, text: x}\n      - {date: 2017-13-01, text: y}\n", 6, "events, item 2, date: 2017-13-01 is not a date"),
        ("title: T\nplaces:\n  - name: A\x1b[31m\n", 3, "character U+001B is not allowed in YAML"),
        ("title: T\nplaces:\n  - name: A\n    notes: |\n      one\n      two\x07\n", 6, "character U+0007 is not allowed"),
        ('title: T\nplaces:\n  - name: A\n    notes: "bell\\a"\n', 4, "control character U+0007 in 'bell\\x07'"),
        ('title: T\nplaces:\n  - name: "A\\ud800"\n', 3, "lone surrogate U+D800 in 'A\\ud800'"),
        ("title: T\nlayers:\n  a: {title: Front}\n  b:\n    title: ' front'\nplaces:\n  - name: A\n", 5, "layers 'a' and 'b' have the same title ' front'"),
        ("title: T\nbase: &b {name: A}\nplaces:\n  - *b\n", 4, "the alias *b repeats another value"),
        ("title: T\nplaces:\n  - name: A\n    notes: " + "[" * 30 + "]" * 30 + "\n", 4, "values nested more than 20 levels deep"),
        ("title: [T]\nplaces:\n  - name: A\n", 1, "title must be a string, not ['T']; write text here"),
        ("title: ''\nplaces:\n  - name: A\n", 1, "title is empty; write some text"),
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


def test_an_escaped_surrogate_pair_is_one_character() -> None:
    """JSON escapes 🗺 as two halves; YAML, a superset of JSON, must read them as one character."""
    assert placelist.parse('title: "map \\ud83d\\uddfa"\nplaces:\n  - name: A\n').title == "map 🗺"


def test_compass_words_and_degrees() -> None:
    base = "title: T\nplaces:\n  - name: A\n    point: [1, 2]\n  - name: B\n    relative: {of: A, distance_km: 1, bearing: %s}\n"
    for word, degrees in [("north", 0), ("SW", 225), ("north-east", 45), ("northwest", 315), ("100", 100)]:
        place = placelist.parse(base % word).places[1]
        assert isinstance(place.placement, Relative) and place.placement.bearing_deg == degrees
    assert isinstance(placelist.parse(base % "E").places[0].placement, Point)
