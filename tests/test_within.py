"""Qualifiers: "Paris, Illinois", a place's `within: Texas`, and the drafts that write them (offline, real index)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from gazetteer_fixture import use_test_index

from geo import placelist
from geo.cli import main
from geo.gazetteer import BuiltinGazetteer, Match

ILLINOIS = (36.9, 42.6, -91.6, -87.4)
TEXAS = (25.8, 36.6, -106.7, -93.5)
MISSOURI = (35.9, 40.7, -95.8, -89.1)


@pytest.fixture(scope="module", autouse=True)
def index() -> None:
    use_test_index()


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def lies_in(box: tuple[float, float, float, float], lat: float, lon: float) -> bool:
    south, north, west, east = box
    return south <= lat <= north and west <= lon <= east


def resolved(name: str) -> dict:
    result = run("resolve", name, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def exported(places: Path) -> dict[str, tuple[float, float]]:
    """(lat, lon) of each point the map draws, by name, from `geo export`."""
    result = run("export", str(places))
    assert result.exit_code == 0, result.output
    features = json.loads(result.stdout)["features"]
    return {f["properties"]["name"]: tuple(reversed(f["geometry"]["coordinates"])) for f in features
            if f["geometry"]["type"] == "Point"}  # fmt: skip


def test_a_qualified_name_resolves_in_its_state_and_the_bare_name_does_not_move() -> None:
    paris = resolved("Paris, Illinois")
    assert paris["country"] == "US" and lies_in(ILLINOIS, paris["lat"], paris["lon"]), paris
    assert resolved("Paris")["country"] == "FR"
    springfield = resolved("Springfield, Mo.")  # an AP abbreviation that is also a word, read after a comma
    assert lies_in(MISSOURI, springfield["lat"], springfield["lon"]), springfield
    texas = resolved("Paris, TX")
    assert lies_in(TEXAS, texas["lat"], texas["lon"]), texas
    atlanta = resolved("Atlanta, Georgia")  # the state, not the country of that name
    assert atlanta["country"] == "US" and atlanta["kind"] == "city", atlanta
    assert resolved("Washington, D.C.")["ref"] == "geonames:4140963"


def test_a_place_called_so_as_a_whole_wins_over_the_qualified_reading() -> None:
    gazetteer = BuiltinGazetteer()
    gazetteer.add("Texas", Match("Texas", 31.4, -99.6, "admin1", "US", "geonames-admin", "US/Texas", 100.0, radius_km=470.0))
    gazetteer.add("Paris", Match("Paris", 48.85, 2.35, "capital", "FR", "geonames", "2988507", 100.0), importance=25.0)
    gazetteer.add("Paris", Match("Paris", 33.66, -95.56, "town", "US", "geonames", "4717560", 100.0))
    assert [m.ref for m in gazetteer.lookup("Paris, Texas", candidates=5)] == ["geonames:4717560"]
    assert gazetteer.lookup("Paris, Tex", candidates=5) == []  # no area of that name: no guess
    gazetteer.add("Paris, Texas", Match("Paris, Texas", 52.5, 13.4, "site", "DE", "curated", "cafe", 100.0))
    assert [m.ref for m in gazetteer.lookup("Paris, Texas", candidates=5)] == ["curated:cafe"]


PLACES = """\
title: Qualified places
places:
  # Paris, the one in Texas: the story is about Lamar County
  - name: Paris
    within: Texas   # the state
  - name: Springfield
    within: Ill.
  - name: Atlanta
    within: Georgia
"""


def test_within_restricts_a_place_list_entry(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(PLACES)
    points = exported(places)
    assert lies_in(TEXAS, *points["Paris"]), points
    assert lies_in(ILLINOIS, *points["Springfield"]), points
    assert points["Atlanta"][1] < -80, points  # Georgia, US
    assert placelist.load(places).places[0].within == "Texas"


def test_nothing_within_is_a_one_line_problem_with_suggestions(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(PLACES + "  - name: Lyon\n    within: Texas\n")
    result = run("check", str(places))
    assert result.exit_code == 1
    warning = next(line for line in result.stderr.splitlines() if "Lyon" in line)
    assert warning.startswith(f"geo: warning: {places}:10: place 'Lyon' lies within 'Texas' (line 11)"), warning
    assert "Lyon (FR, city)" in warning and "fix `within:`" in warning
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("within", "says"),
    [("Texsa", "no region, state, country or place of the list is called 'Texsa'"),
     ("Paris", "place 'Paris' is `within:` itself")],
)  # fmt: skip
def test_an_unknown_within_is_a_one_line_error_with_its_line(tmp_path: Path, within: str, says: str) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(PLACES.replace("within: Texas   # the state", f"within: {within}"))
    before = places.read_text()
    result = run("build", str(places), "-o", str(tmp_path / "map.html"))
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"geo: error: {places}:5: ") and says in line, line
    assert places.read_text() == before and not (tmp_path / "map.html").exists()


def test_within_may_name_a_place_of_the_list(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(
        "title: t\nplaces:\n  - name: Lamar County\n    polygon: [[33.4, -96.0], [34.0, -96.0], [34.0, -95.2], [33.4, -95.2]]\n"
        "  - name: Paris\n    within: Lamar County\n"
    )  # fmt: skip
    assert lies_in((33.4, 34.0, -96.0, -95.2), *exported(places)["Paris"])


def test_pinning_a_qualified_place_keeps_its_within_and_the_comments(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(PLACES)
    result = run("pin", "Paris", str(places))
    assert result.exit_code == 0, result.output
    text = places.read_text()
    assert "  # Paris, the one in Texas: the story is about Lamar County\n" in text
    assert "    within: Texas   # the state\n" in text
    assert "    ref: geonames:4717560\n" in text  # Paris, Texas


ARTICLE = """\
Storms close roads

SPRINGFIELD, Ill. — Heavy rain closed several roads on Tuesday, officials said. Crews from Paris in Illinois
worked overnight, and Russian engineers in Syria sent their sympathy. Russia in Syria was not named again.
"""


def test_extract_writes_within_and_the_map_places_it_there(tmp_path: Path) -> None:
    article = tmp_path / "storm.txt"
    article.write_text(ARTICLE)
    draft = tmp_path / "places.yaml"
    result = run("extract", str(article), "-o", str(draft))
    assert result.exit_code == 0, result.output
    entries = {p.name.casefold(): p for p in placelist.load(draft).places}
    assert entries["springfield"].within == "Illinois" and entries["paris"].within == "Illinois"
    assert "illinois" not in entries  # named only as the qualifier: no entry of its own
    assert entries["russia"].within is None and "syria" in entries  # a country is never qualified
    points = exported(draft)
    springfield = next(v for k, v in points.items() if k.casefold() == "springfield")
    assert lies_in(ILLINOIS, *springfield) and lies_in(ILLINOIS, *points["Paris"]), points


def test_a_ref_outside_its_within_is_a_problem_not_a_silent_pick(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(PLACES.replace("    within: Texas   # the state\n", "    within: Texas\n    ref: geonames:2988507\n"))
    result = run("check", str(places))
    assert result.exit_code == 1
    warning = next(line for line in result.stderr.splitlines() if "'Paris'" in line)
    assert warning.startswith(f"geo: warning: {places}:4: place 'Paris' has the `ref:` geonames:2988507 (Paris, FR), "
                              "which does not lie within 'Texas' (line 5)"), warning  # fmt: skip
    assert "geo resolve 'Paris, Texas' --candidates 5" in warning


def test_a_qualified_name_with_nothing_inside_is_not_found_and_says_where_it_is() -> None:
    result = run("resolve", "Thruxton, Hampshire")  # the gazetteer has only the Thruxton in Herefordshire
    assert result.exit_code == 1
    assert "'Thruxton, Hampshire' not found; closest: none within Hampshire; elsewhere: Thruxton (GB, geonames:2635907)" in (
        result.stderr
    )
