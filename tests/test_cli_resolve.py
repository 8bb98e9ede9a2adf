"""``geo resolve`` and ``geo gazetteer`` as a user runs them (offline, with the test index)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from gazetteer_fixture import use_test_index

from geo.cli import main


@pytest.fixture(scope="module", autouse=True)
def index() -> None:
    use_test_index()


def run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(main, list(args), input=stdin)


def test_resolve_prints_one_tab_separated_line_per_name() -> None:
    result = run("resolve", "Raqa", "Al-Tanaf")
    assert result.exit_code == 0, result.output
    raqa, tanaf = result.stdout.splitlines()
    assert raqa.split("\t")[:4] == ["Raqa", "35.95283", "39.00788", "SY"]
    assert "geonames:172955" in raqa and "At Tanf" in tanaf
    assert float(raqa.rsplit("\tconfidence ", 1)[1]) >= 0.95  # sure, though Romania has a commune Raca


def test_resolve_json_with_near_and_candidates() -> None:
    result = run("resolve", "Paris", "--near", "Tyler", "--json", "--candidates", "2")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["ref"], first["country"], first["source"]) == ("geonames:4717560", "US", "geonames")
    assert set(first) == {"name", "match", "lat", "lon", "country", "kind", "source", "id", "ref", "score", "confidence"}
    assert second["id"] != first["id"] and first["confidence"] > second["confidence"]


def test_only_true_spellings_are_answers() -> None:
    # Names no gazetteer has: today's near-misses are hints, never answers.
    for name in ("Xyzzyqwv", "Tishreen dam", "Raqqa National Hospital", "Black Stadium", "Qqqqzzzzxxxx",
                 "Torkula", "Umemger", "Guma LGA"):  # fmt: skip
        result = run("resolve", name, "--json")
        assert json.loads(result.stdout)["error"] == "not found", name
    # Look-alikes do not outrank the real place, or come at all.
    found = {name: json.loads(run("resolve", name, "--json", "--candidates", "3").stdout.splitlines()[0])
             for name in ("Astana", "Deraa", "Mosul", "Homs", "Aleppo", "Daraa")}  # fmt: skip
    assert found["Astana"]["ref"] == "geonames:1526273"  # the city, not Estonia
    assert found["Deraa"]["ref"] == found["Daraa"]["ref"] == "geonames:170905"  # Dar'a, not Dili
    assert [json.loads(line)["ref"] for line in run("resolve", "Mosul", "--json", "--candidates", "3").stdout.splitlines()] == [
        "geonames:99072"
    ]  # no Maseru
    # A city before the region of its name, unless the name says region.
    assert found["Homs"]["kind"] == found["Aleppo"]["kind"] == "city"
    assert json.loads(run("resolve", "Homs province", "--json").stdout)["kind"] == "admin1"


def test_an_ambiguous_name_is_unverified() -> None:
    line = run("resolve", "Springfield").stdout
    assert "(unverified)" in line


def test_resolve_stdin_writes_one_json_object_per_line_errors_included() -> None:
    result = run("resolve", "-", stdin="Raqqa\nXqzvvy\n\nJordan\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["name"] for line in lines] == ["Raqqa", "Xqzvvy", "Jordan"]
    assert lines[1]["error"] == "not found" and "closest" in lines[1]
    assert lines[2]["kind"] == "country"


def test_unknown_name_warns_with_closest_candidates_and_fails() -> None:
    result = run("resolve", "Damascusz")
    assert result.exit_code == 1
    assert "closest:" in result.stderr and "Damascus (SY, geonames:170654)" in result.stderr
    assert result.stdout == ""


def test_country_option_prefers_that_country() -> None:
    result = run("resolve", "Paris", "--country", "US", "--json")
    assert json.loads(result.stdout)["country"] == "US"


def test_gazetteer_info_reports_a_current_index() -> None:
    result = run("gazetteer", "info")
    assert result.exit_code == 0 and "current" in result.stdout
