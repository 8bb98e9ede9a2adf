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
    ]
    for document in documents:
        assert placelist._quickly_valid(document) == validator.is_valid(document), document
