"""Never a confident wrong place: names no gazetteer matches, guesses, references, plausibility.

Every command as a user runs it, against the offline test index.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from gazetteer_fixture import use_test_index

from geo.cli import main

ROOT = Path(__file__).resolve().parents[1]
PARIS_FRANCE, PARIS_TEXAS = "geonames:2988507", "geonames:4717560"


@pytest.fixture(scope="module", autouse=True)
def index() -> None:
    use_test_index()


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "places.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


MADE_UP = """\
    title: A story with names no gazetteer has
    country: SY
    places:
      - name: Raqqa
        point: [35.95283, 39.00788]
      - name: Xyzzyqwv
      - name: Tishreen dam
      - name: Raqqa National Hospital
      - name: Qqqqzzzzxxxx
      - name: Mosul
    """


def test_names_no_gazetteer_matches_are_left_off_with_a_warning(tmp_path: Path) -> None:
    places = write(tmp_path, MADE_UP)
    out = tmp_path / "map.html"
    result = run("build", str(places), "-o", str(out))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("geo: warning:")]
    assert len(warnings) == 4
    for line, name in zip(warnings, ("Xyzzyqwv", "Tishreen dam", "Raqqa National Hospital", "Qqqqzzzzxxxx"), strict=True):
        number = places.read_text().splitlines().index(f"  - name: {name}") + 1
        assert line.startswith(f"geo: warning: {places}:{number}: place {name!r} no gazetteer knows this name")
        assert line.endswith("it is left off the map")
    assert "(2 places)" in result.stderr
    data = json.dumps([p["name"] for p in _story(out)["places"]])
    assert data == '["Raqqa", "Mosul"]'


def test_strict_refuses_them_and_check_lists_them_with_suggestions(tmp_path: Path) -> None:
    places = write(tmp_path, MADE_UP)
    out = tmp_path / "map.html"
    strict = run("build", str(places), "-o", str(out), "--strict")
    assert strict.exit_code == 1 and not out.exists()
    assert strict.stderr.count("\n") == 1 and "'Xyzzyqwv' no gazetteer knows this name" in strict.stderr
    check = run("check", str(places))
    assert check.exit_code == 1
    lines = {line.split("\t")[0]: line for line in check.stdout.splitlines()}
    assert "NOT PLACED" in lines["Tishreen dam"] and "closest:" in lines["Tishreen dam"]
    assert "NOT PLACED" not in lines["Mosul"]


GUESS = """\
    title: Springfield, alone
    places:
      - name: Springfield
      - name: Paris
        country: FR
    """


def test_an_ambiguous_name_is_drawn_unverified_everywhere(tmp_path: Path) -> None:
    places = write(tmp_path, GUESS)
    out = tmp_path / "map.html"
    result = run("build", str(places), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert f"{places}:3: place 'Springfield' is unverified" in result.stderr and "it is drawn as unverified" in result.stderr
    assert "'Paris' is unverified" not in result.stderr
    story = {p["name"]: p for p in _story(out)["places"]}
    assert story["Springfield"]["unverified"] and story["Springfield"]["confidence"] < 0.6
    assert not story["Paris"]["unverified"] and story["Paris"]["ref"] == PARIS_FRANCE
    check = run("check", str(places))
    assert check.exit_code == 0
    springfield = next(line for line in check.stdout.splitlines() if line.startswith("Springfield\t"))
    assert springfield.endswith("UNVERIFIED") and "1 unverified" in check.stderr
    exported = json.loads(run("export", str(places)).stdout)
    props = {f["properties"]["name"]: f["properties"] for f in exported["features"]}
    assert props["Springfield"]["unverified"] is True and props["Springfield"]["confidence"] == story["Springfield"]["confidence"]
    assert props["Paris"]["gazetteer"]["ref"] == PARIS_FRANCE
    for command in ("build", "check"):
        strict = run(command, str(places), "--strict", *(["-o", str(tmp_path / "strict.html")] if command == "build" else []))
        assert strict.exit_code == 1 and "'Springfield' is unverified" in strict.stderr and "--strict" in strict.stderr


def test_checked_settles_a_guess_and_a_reference_draws_exactly_its_record(tmp_path: Path) -> None:
    text = textwrap.dedent(GUESS).replace("  - name: Springfield\n", "  - name: Springfield\n    checked: true\n")
    places = write(tmp_path, text + f"  - name: Paris of the draft\n    ref: {PARIS_TEXAS}\n")
    result = run("check", str(places), "--strict")
    assert result.exit_code == 0, result.output
    lines = {line.split("\t")[0]: line for line in result.stdout.splitlines()}
    assert lines["Springfield"].endswith("confidence 1.00")
    assert "33.66094, -95.55551" in lines["Paris of the draft"] and "geonames 4717560" in lines["Paris of the draft"]


def test_an_unknown_reference_is_a_one_line_error_with_its_line(tmp_path: Path) -> None:
    places = write(tmp_path, textwrap.dedent(GUESS) + "  - name: Somewhere\n    ref: geonames:1\n")
    result = run("build", str(places), "-o", str(tmp_path / "map.html"))
    assert result.exit_code == 1
    assert result.stderr == (f"geo: error: {places}:7: place 'Somewhere': no gazetteer has the record 'geonames:1'; "
                             "`geo resolve 'Somewhere' --candidates 5` lists the records of the name\n")  # fmt: skip
    bad = write(tmp_path, textwrap.dedent(GUESS) + "  - name: Somewhere\n    ref: geonames 1\n")
    result = run("check", str(bad))
    assert result.exit_code == 1 and result.stderr.startswith(f"geo: error: {bad}:7: place 'Somewhere', ref:")


def test_check_catches_swapped_coordinates_and_distances_off_by_far(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    shutil.copy(ROOT / "places.yaml", places)
    places.write_text(places.read_text().replace("point: [35.95689, 38.93306]", "point: [38.93306, 35.95689]"))
    result = run("check", str(places))
    assert result.exit_code == 0, result.output
    entry = places.read_text().splitlines().index("  - name: Heraqla") + 1
    concerns = [x for x in result.stderr.splitlines() if "'Heraqla'" in x]
    assert concerns[0].startswith(f"geo: warning: {places}:{entry}: place 'Heraqla': the point [38.93306, 35.95689]")
    assert "lies 241 km outside Syria (SY); did you mean [35.95689, 38.93306]?" in concerns[0]
    assert "more than 3 times apart" in concerns[1]
    clean = run("check", str(ROOT / "places.yaml"))
    assert "did you mean" not in clean.stderr and "times apart" not in clean.stderr


def _story(page: Path) -> dict:  # type: ignore[type-arg]
    import re

    text = page.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="geo-story-data-[\w-]+">(.*?)</script>', text, re.DOTALL)
    assert match is not None
    return json.loads(match.group(1))


def test_replacing_a_drafted_reference_is_the_whole_fix(tmp_path: Path) -> None:
    # A draft pins its pick; a reviewer who replaces it with another candidate has decided.
    pick = json.loads(run("resolve", "Springfield", "--json", "--candidates", "2").stdout.splitlines()[0])
    other = json.loads(run("resolve", "Springfield", "--json", "--candidates", "2").stdout.splitlines()[1])
    draft = write(tmp_path, f"title: T\nplaces:\n  - name: Springfield\n    ref: {pick['ref']}\n")
    line = next(x for x in run("check", str(draft)).stdout.splitlines() if x.startswith("Springfield\t"))
    assert line.endswith("UNVERIFIED") and f"confidence {pick['confidence']:.2f}" in line
    draft.write_text(draft.read_text().replace(pick["ref"], other["ref"]))
    result = run("check", str(draft), "--strict")
    assert result.exit_code == 0, result.output
    assert f"{other['lat']:.5f}, {other['lon']:.5f}" in result.stdout and result.stdout.rstrip().endswith("confidence 1.00")
