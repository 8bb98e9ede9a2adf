"""places.yaml names its JSON Schema for editors, and that schema accepts it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from ruamel.yaml import YAML

from geo import placelist

ROOT = Path(__file__).resolve().parents[1]
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(?P<ref>\S+)\s*$")


def test_places_yaml_references_the_real_schema_file() -> None:
    first = (ROOT / "places.yaml").read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    assert match, f"places.yaml should start with the yaml-language-server modeline, not {first!r}"
    # The language server resolves a relative reference from the YAML file's folder.
    assert (ROOT / match["ref"]).resolve() == placelist.SCHEMA_PATH.resolve()


def test_the_schema_is_valid_and_validates_places_yaml() -> None:
    schema = json.loads(placelist.SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    doc = YAML(typ="safe").load((ROOT / "places.yaml").read_text(encoding="utf-8"))
    plain = json.loads(json.dumps(doc, default=str))  # dates as the ISO text editors see
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(plain)]
    assert errors == []


def test_the_schema_rejects_what_it_should() -> None:
    schema = json.loads(placelist.SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    assert not validator.is_valid({"title": "t", "places": [{"name": "x", "point": [91, 0]}]})
    assert not validator.is_valid({"title": "t", "places": [{"name": "x", "colour": "red"}]})
    assert validator.is_valid({"title": "t", "places": [{"name": "x", "point": [35.9, 39.0]}]})


def test_the_schema_bounds_distances_and_areas_by_the_earth() -> None:
    schema = json.loads(placelist.SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    place = {"name": "x", "point": [35.9, 39.0]}
    for key, largest, too_large in [
        ("zone", {"around": "x", "radius_km": 10000}, {"around": "x", "radius_km": 10000.1}),
        ("area", {"km2": 2.5e8}, {"km2": 5.1e8}),
        ("relative", {"of": "x", "distance_km": 20004, "bearing": 0}, {"of": "x", "distance_km": 20005, "bearing": 0}),
    ]:
        assert validator.is_valid({"title": "t", "places": [place, {"name": "y", key: largest}]})
        assert not validator.is_valid({"title": "t", "places": [place, {"name": "y", key: too_large}]})


def test_the_quick_check_agrees_with_jsonschema() -> None:
    """geo build asks jsonschema-rs first; the two must agree, or a bad file would slip through."""
    schema = json.loads(placelist.SCHEMA_PATH.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    good = json.loads(json.dumps(YAML(typ="safe").load((ROOT / "places.yaml").read_text(encoding="utf-8")), default=str))
    place = {"name": "x", "point": [35.9, 39.0]}
    documents = [
        good,
        {"title": "t", "places": [place]},
        {"title": "t", "places": [{**place, "point": [91, 0]}]},
        {"title": "t", "places": [{**place, "colour": "red"}]},
        {"title": "t", "places": [{**place, "point": [35.9]}]},
        {"title": "t", "places": [{**place, "kind": "citty"}]},
        {"title": "t", "places": [{"name": "x", "relative": {"of": "y", "distance_km": -2, "bearing": "N"}}]},
        {"title": "t", "places": [{"name": "x", "zone": {"around": "y", "radius_km": "far"}}]},
        {"title": "t", "places": [{**place, "events": [{"date": "June", "text": "t"}]}]},
        {"title": 3, "places": []},
        {"places": [place]},
        # The Earth's bounds: a radius up to a hemisphere, a distance up to the antipode.
        *(
            {"title": "t", "places": [place, {"name": "y", key: value}]}
            for key, value in [
                ("zone", {"around": "x", "radius_km": 10000}), ("zone", {"around": "x", "radius_km": 10000.1}),
                ("area", {"km2": 2.5e8}), ("area", {"km2": 2.5e8 + 1}), ("area", {"radius_km": 1e12}),
                ("relative", {"of": "x", "distance_km": 20004, "bearing": 0}),
                ("relative", {"of": "x", "distance_km": 20004.1, "bearing": 0}),
                ("checks", [{"of": "x", "distance_km": 1e9, "says": "far"}]),
            ]
        ),
    ]
    for document in documents:
        assert placelist._quickly_valid(document) == validator.is_valid(document), document
