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
    assert "geonames 172955" in raqa and "At Tanf" in tanaf


def test_resolve_json_with_near_and_candidates() -> None:
    result = run("resolve", "Mosul", "--near", "Raqqa", "--json", "--candidates", "2")
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["id"], first["country"], first["source"]) == ("99072", "IQ", "geonames")
    assert set(first) == {"name", "match", "lat", "lon", "country", "kind", "source", "id", "score"}
    assert second["id"] != "99072"


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
    assert "closest:" in result.stderr and "Damascus (SY" in result.stderr
    assert result.stdout == ""


def test_country_option_prefers_that_country() -> None:
    result = run("resolve", "Paris", "--country", "US", "--json")
    assert json.loads(result.stdout)["country"] == "US"


def test_gazetteer_info_reports_a_current_index() -> None:
    result = run("gazetteer", "info")
    assert result.exit_code == 0 and "current" in result.stdout
