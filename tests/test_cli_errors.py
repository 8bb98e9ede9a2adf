"""One convention for mistakes: a wrong input is one `geo: error:` line and status 1; a command line of the
wrong shape (unknown option, missing argument, options that exclude each other) is click's usage message, status 2."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from gazetteer_fixture import use_test_index

from geo.cli import main


@pytest.fixture(scope="module", autouse=True)
def index() -> None:
    use_test_index()


INPUT_MISTAKES = {
    "a name the list has": ["add", "Raqqa", "--at", "1,2", "{places}"],
    "an unknown --near place": ["resolve", "Mosul", "--near", "Nowhereville"],
    "an unknown --country code": ["resolve", "Paris", "--country", "XX"],
    "a point that is not LAT,LON": ["add", "Tabqa dam", "--at", "35.86", "{places}"],
    "a latitude out of range": ["add", "Tabqa dam", "--at", "95.86,38.56", "{places}"],
    "a distance out of range": ["add", "Camp", "--of", "Raqqa", "--distance", "-3", "--bearing", "NE", "{places}"],
    "an impossible date": ["extract", "{article}", "--date", "2017-13-01"],
    "a missing article": ["build", "{places}", "--article", "{missing}", "-o", "{out}"],
    "a place list that is a folder": ["check", "{folder}"],
    "a place not in the list": ["rm", "Kobani", "{places}"],
}


@pytest.mark.parametrize("args", INPUT_MISTAKES.values(), ids=INPUT_MISTAKES.keys())
def test_an_input_mistake_is_one_line_and_status_1(runner: CliRunner, places: Path, tmp_path: Path,
                                                   args: list[str]) -> None:  # fmt: skip
    article = tmp_path / "article.txt"
    article.write_text("Fighting went on in Raqqa.\n", encoding="utf-8")
    paths = {"places": places, "article": article, "missing": tmp_path / "missing.txt", "out": tmp_path / "map.html",
             "folder": tmp_path}  # fmt: skip
    before = places.read_bytes()
    result = runner.invoke(main, [arg.format(**paths) for arg in args])
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("geo: error: "), result.stderr
    assert "Usage:" not in result.output and places.read_bytes() == before


USAGE_MISTAKES = {
    "an unknown option": ["build", "--bogus"],
    "a missing argument": ["resolve"],
    "options that exclude each other": ["add", "Camp", "--at", "1,2", "--of", "Raqqa"],
    "a relative place without its bearing": ["add", "Camp", "--of", "Raqqa", "--distance", "3"],
}


@pytest.mark.parametrize("args", USAGE_MISTAKES.values(), ids=USAGE_MISTAKES.keys())
def test_a_command_line_of_the_wrong_shape_is_a_usage_error(runner: CliRunner, args: list[str]) -> None:
    result = runner.invoke(main, args, prog_name="geo")
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: geo ") and f"Try 'geo {args[0]} --help' for help." in result.stderr
