"""geo add / pin / rm: every edit changes its entry's lines and not one byte more."""

from __future__ import annotations

import datetime as dt
import difflib
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from geo import edit, placelist
from geo.cli import main
from geo.gazetteer import BuiltinGazetteer, Match

ROOT = Path(__file__).resolve().parents[1]

# Comments everywhere, odd quoting, flow and block lists, folded text, CRLF-free.
PLACES = textwrap.dedent("""\
    # yaml-language-server: $schema=geo/schema/places.schema.json
    # A test file: every comment, quote and blank line here must survive.

    title: 'Quoted  title'   # a trailing comment
    country: SY

    map:
      focus: [Raqqa]

    layers:
      front:
        title: "Front"   # double quotes

    places:

      # --- First section ---------------------------------------------------

      - name: Raqqa            # the city
        aliases: [Raqa, 'Ar Raqqah']
        kind: city
        layer: front
        point: [35.95283, 39.00788]
        notes: >
          Folded text that goes on
          over two lines.
        sources:
          - GeoNames 172955   # centre point
          - "AFP"

      # A comment right above Hazima, about it.
      - name: Hazima
        relative:
          of: Raqqa
          distance_km: 15
          bearing: north   # compass word
        precision: approximate
        radius_km: 5.5
        # a comment inside the entry, at its end

      # --- Second section --------------------------------------------------

      - name: Mosul
        country: IQ
        notes: "Looked up."
        sources: [GeoNames 99072]   # flow list

      - name: Syria
        kind: country
        # no sources yet

      - name: Iraq
        kind: country
    # a final comment
    """)


@pytest.fixture
def places(tmp_path: Path) -> Path:
    path = tmp_path / "places.yaml"
    path.write_bytes(PLACES.encode())
    placelist.parse(PLACES)  # the fixture itself is valid
    return path


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def fails(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code != 0, result.output
    return result.output


def changes(before: str, after: str) -> list[str]:
    """The diff as '-old' / '+new' lines (no context): everything that changed."""
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_rewriting_every_entry_unchanged_is_byte_for_byte(places: Path) -> None:
    for name in ["Raqqa", "Hazima", "Mosul", "Syria", "Iraq"]:
        document = edit.read(places)
        assert edit.update(document, name, lambda entry: None) == PLACES, name


def test_repo_places_yaml_round_trips() -> None:
    path = ROOT / "places.yaml"
    document = edit.read(path)
    for place in document.places.places:
        assert edit.update(edit.read(path), place.name, lambda e: None) == document.text, place.name


def inserted(anchor: str, block: str) -> str:
    """PLACES with ``block`` right after ``anchor`` (which occurs once)."""
    assert PLACES.count(anchor) == 1
    return PLACES.replace(anchor, anchor + textwrap.indent(textwrap.dedent(block), "  "))


def test_add_point_at_the_end(places: Path) -> None:
    run("add", "Tabqa dam", str(places), "--at", "35.8606,38.5661", "--kind", "site", "--layer", "front")
    assert places.read_text() == inserted(
        "  - name: Iraq\n    kind: country\n",
        """
          - name: Tabqa dam
            kind: site
            layer: front
            point: [35.8606, 38.5661]
        """,
    )
    assert placelist.load(places).places[-1].placement == placelist.Point((35.8606, 38.5661))


def test_add_relative_after_a_place(places: Path) -> None:
    run(
        "add", "Camp", str(places), "--of", "Raqqa", "--distance", "10", "--bearing", "NE",
        "--approximate", "3", "--after", "Raqa", "--alias", "The camp", "--source", "AFP: 'a camp'",
    )  # fmt: skip
    assert places.read_text() == inserted(
        '      - "AFP"\n',
        """
          - name: Camp
            aliases: [The camp]
            relative:
              of: Raqqa
              distance_km: 10
              bearing: NE
            precision: approximate
            radius_km: 3
            sources:
              - "AFP: 'a camp'"
        """,
    )
    place_list = placelist.load(places)
    assert place_list.by_name()["camp"].placement == placelist.Relative("Raqqa", 10.0, 45.0, None)  # from: not given
    assert [p.name for p in place_list.places][:3] == ["Raqqa", "Camp", "Hazima"]


def test_add_to_be_looked_up(places: Path) -> None:
    run("add", "Damascus", str(places), "--country", "SY", "--note", "The capital.")
    assert places.read_text() == inserted(
        "  - name: Iraq\n    kind: country\n",
        """
          - name: Damascus
            country: SY
            notes: The capital.
        """,
    )


def test_add_refusals_leave_the_file_alone(places: Path) -> None:
    assert "already has a place called 'raqa'" in fails("add", "raqa", str(places), "--at", "1,2")
    assert "unknown layer 'nope'" in fails("add", "X", str(places), "--at", "1,2", "--layer", "nope")
    assert "unknown place 'Nowhere'" in fails("add", "X", str(places), "--of", "Nowhere", "--distance", "1", "--bearing", "N")
    assert "LAT,LON" in fails("add", "X", str(places), "--at", "north")
    assert "not both" in fails("add", "X", str(places), "--at", "1,2", "--of", "Raqqa")
    assert places.read_text() == PLACES


def test_rm_takes_its_lines_and_the_comment_above(places: Path) -> None:
    run("rm", "Hazima", str(places))
    assert changes(PLACES, places.read_text()) == [
        "-  # A comment right above Hazima, about it.",
        "-  - name: Hazima",
        "-    relative:",
        "-      of: Raqqa",
        "-      distance_km: 15",
        "-      bearing: north   # compass word",
        "-    precision: approximate",
        "-    radius_km: 5.5",
        "-    # a comment inside the entry, at its end",
        "-",
    ]


def test_rm_last_and_by_alias(places: Path) -> None:
    run("rm", "Iraq", str(places))
    assert changes(PLACES, places.read_text()) == ["-", "-  - name: Iraq", "-    kind: country"]
    assert places.read_text().endswith("    kind: country\n    # no sources yet\n# a final comment\n")


def test_rm_refuses_a_place_others_use(places: Path) -> None:
    out = fails("rm", "Raqa", str(places))
    assert "'Raqqa' is used by 'Hazima', 'map.focus'" in out
    assert "no place called 'Raqa city'" in fails("rm", "Raqa city", str(places))
    assert places.read_text() == PLACES


class FakeGazetteer(BuiltinGazetteer):
    """Fixed answers, so these tests do not follow the real gazetteer's data."""

    def __init__(self) -> None:
        super().__init__()
        self.add("Mosul", Match("Mosul", 36.335, 43.11889, "city", "IQ", "geonames", "99072", 100.0))
        self.add("Homs", Match("Homs", 34.72405, 36.72559, "city", "SY", "geonames", "169577", 100.0), importance=20.0)
        self.add("Homs", Match("Homs", 34.65396, 37.40146, "admin1", "SY", "geonames-admin", "SY/Homs", 100.0))
        self.add("Homs", Match("Al Khums", 32.64861, 14.26191, "city", "LY", "geonames", "2219905", 100.0), importance=19.0)
        self.add("Syria", Match("Syria", 35.0, 38.0, "country", "SY", "geonames", "163843", 100.0, radius_km=242.81))


@pytest.fixture(autouse=True)
def fake_gazetteer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("geo.cli.options.default_gazetteer", FakeGazetteer)


def test_pin_a_looked_up_place_writes_its_record(places: Path) -> None:
    out = run("pin", "Mosul", str(places))
    today = dt.date.today().isoformat()
    assert places.read_text() == PLACES.replace(
        '    notes: "Looked up."\n    sources: [GeoNames 99072]   # flow list\n',
        '    ref: geonames:99072\n    notes: "Looked up."\n'
        f"    sources: [GeoNames 99072, geonames 99072 (Mosul) pinned by geo on {today}] # flow list\n",
    )
    line = places.read_text().splitlines().index("    ref: geonames:99072") + 1
    assert placelist.load(places).by_name()["mosul"].placement == placelist.Ref("geonames:99072", line)
    assert "pinned 'Mosul' to geonames:99072" in out and "confidence 1.00" in out


def test_pin_a_country_writes_its_record(places: Path) -> None:
    run("pin", "Syria", str(places))
    today = dt.date.today().isoformat()
    assert places.read_text() == PLACES.replace(
        "    kind: country\n    # no sources yet\n",
        "    kind: country\n    # no sources yet\n    ref: geonames:163843\n"
        f"    sources:\n      - geonames 163843 (Syria) pinned by geo on {today}\n",
    )


def test_pin_another_record_marks_the_place_checked(places: Path) -> None:
    places.write_text(PLACES.replace("  - name: Iraq\n", "  - name: Homs\n\n  - name: Iraq\n"))
    before = places.read_text()
    out = run("pin", "Homs", str(places), "--ref", "geonames-admin:SY/Homs")
    assert "checked" in out
    today = dt.date.today().isoformat()
    assert changes(before, places.read_text()) == [
        "+    ref: geonames-admin:SY/Homs", "+    checked: true",
        "+    sources:", f"+      - geonames-admin SY/Homs (Homs) pinned by geo on {today}",
    ]  # fmt: skip
    place = placelist.load(places).by_name()["homs"]
    assert place.placement == placelist.Ref("geonames-admin:SY/Homs", place.line + 1) and place.checked


def test_pin_an_unknown_record_is_refused(places: Path) -> None:
    assert "no gazetteer has this record" in fails("pin", "Mosul", str(places), "--ref", "geonames:1")
    assert places.read_text() == PLACES


def test_pin_refuses_what_has_coordinates_or_cannot_be_placed(places: Path) -> None:
    assert "already has its coordinates" in fails("pin", "Raqqa", str(places))
    assert "computed from 'Raqqa'" in fails("pin", "Hazima", str(places))
    assert "'Iraq' cannot be placed" in fails("pin", "Iraq", str(places))
    assert places.read_text() == PLACES


def test_edit_refused_when_the_file_changed_since_read(places: Path) -> None:
    document = edit.read(places)
    text = edit.remove(document, "Iraq")
    places.write_text(PLACES + "# someone else saved\n")
    with pytest.raises(edit.EditError, match="changed on disk since it was read"):
        edit.save(document, text)
    assert places.read_text() == PLACES + "# someone else saved\n"


def test_crlf_and_mode_are_kept(places: Path) -> None:
    places.write_bytes(PLACES.replace("\n", "\r\n").encode())
    os.chmod(places, 0o600)
    run("rm", "Iraq", str(places))
    data = places.read_bytes()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert (places.stat().st_mode & 0o777) == 0o600
    assert data.decode().replace("\r\n", "\n") == PLACES.replace("\n\n  - name: Iraq\n    kind: country\n", "\n")


def test_a_broken_file_is_not_edited(places: Path) -> None:
    places.write_text(PLACES.replace("kind: city", "kind: [city"))
    assert "not valid YAML" in fails("add", "X", str(places), "--at", "1,2")


def test_add_of_a_name_already_in_the_list_is_one_line(places: Path) -> None:
    result = CliRunner().invoke(main, ["add", "raqa", str(places), "--at", "1,2"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"geo: error: {places}:18: the list already has a place called 'raqa' ('Raqqa'); "
        "choose another name, or change that entry\n"
    )
    assert places.read_text() == PLACES


# --- Concurrent edits ------------------------------------------------------------------


def geo(*args: str) -> subprocess.Popen[str]:
    """``python -m geo ARGS`` in its own process, as a user would start it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen([sys.executable, "-m", "geo", *args], stderr=subprocess.PIPE, text=True, env=env)


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]


def test_two_adds_at_once_lose_nothing_50_times(places: Path) -> None:
    added: list[str] = []
    refused: list[str] = []
    for i in range(50):
        names = [f"Race {i} a", f"Race {i} b"]
        runs = [geo("add", name, str(places), "--at", "1,2") for name in names]
        for name, run in zip(names, runs):
            _, stderr = run.communicate(timeout=120)
            (added if run.returncode == 0 and "added" in stderr else refused).append(f"{name}: {stderr.strip()}")
        placelist.load(places)  # valid after every pair
    in_file = {p.name for p in placelist.load(places).places}
    assert [line for line in added if line.split(":")[0] not in in_file] == [], "reported added, yet lost"
    assert refused == [], "the lock makes the second edit wait, not fail"
    assert len(in_file) == 5 + 100
    assert comments(places.read_text()) == comments(PLACES)


def test_an_edit_waits_for_the_one_in_progress_and_reads_what_it_saved(places: Path) -> None:
    with edit.editing(places) as document:
        waiting = geo("add", "Second", str(places), "--at", "1,2")
        time.sleep(2)  # long enough for it to start and reach the lock
        assert waiting.poll() is None, "the second edit must wait for the lock"
        edit.save(document, edit.add(document, {"name": "First", "point": edit.flow([3, 4])}))
    _, stderr = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, stderr
    assert [p.name for p in placelist.load(places).places][-2:] == ["First", "Second"]
    assert comments(places.read_text()) == comments(PLACES)


def test_a_save_inside_editing_still_refuses_a_file_another_program_changed(places: Path) -> None:
    with edit.editing(places) as document:
        places.write_text(PLACES + "# saved by a text editor, which takes no lock\n")
        with pytest.raises(edit.EditError, match="changed on disk since it was read"):
            edit.save(document, edit.remove(document, "Iraq"))
    assert places.read_text() == PLACES + "# saved by a text editor, which takes no lock\n"


def test_an_edit_that_cannot_get_the_lock_gives_up_in_one_line(places: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(edit, "LOCK_WAIT_S", 0.5)
    with edit.editing(places):
        document = edit.read(places)
        with pytest.raises(edit.EditError, match="another geo command has been editing the file for 0.5 s; try again"):
            edit.save(document, edit.remove(document, "Iraq"))
    assert places.read_text() == PLACES
