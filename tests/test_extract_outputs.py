"""`geo extract`'s two outputs agree: the draft's comments and the JSON lines give each mention the same sentence
number (from 1) and character offsets (from 0); the draft has no trailing spaces."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from gazetteer_fixture import use_test_index

from geo.cli import main

ARTICLE = Path(__file__).resolve().parents[1] / "examples" / "article.txt"
MENTION = re.compile(r"s(?P<sentence>\d+) (?P<start>\d+)-(?P<end>\d+) (?P<text>'[^']*'|\"[^\"]*\")")


@pytest.fixture(scope="module")
def outputs() -> tuple[str, list[dict]]:
    use_test_index()
    runner = CliRunner()
    draft = runner.invoke(main, ["extract", str(ARTICLE), "--date", "2017-06-07"])
    lines = runner.invoke(main, ["extract", str(ARTICLE), "--date", "2017-06-07", "--format", "jsonl"])
    assert draft.exit_code == 0 and lines.exit_code == 0, draft.output + lines.output
    return draft.stdout, [json.loads(line) for line in lines.stdout.splitlines()]


def test_the_draft_and_the_json_lines_number_every_mention_alike(outputs: tuple[str, list[dict]]) -> None:
    draft, rows = outputs
    in_draft = {(int(m["start"]), int(m["end"])): (int(m["sentence"]), m["text"][1:-1])
                for m in MENTION.finditer(draft)}  # fmt: skip
    in_lines = {(row["start"], row["end"]): (row["sentence"], row["text"]) for row in rows}
    assert len(in_lines) > 20 and in_draft == in_lines


def test_sentences_count_from_1_and_offsets_from_0(outputs: tuple[str, list[dict]]) -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    _, rows = outputs
    assert all(text[row["start"]:row["end"]] == row["text"] for row in rows)
    first, last = rows[0], rows[-1]
    assert (first["text"], first["sentence"]) == ("Raqqa", 1)  # the headline is the first sentence
    body = text.split("\n\n")[-1]  # then the dek, then the story: one sentence per full stop
    assert (last["text"], last["sentence"]) == ("Raqqa", 2 + body.count(". ") + 1)


def test_the_draft_has_no_trailing_spaces(outputs: tuple[str, list[dict]]) -> None:
    draft, _ = outputs
    assert [line for line in draft.splitlines() if line != line.rstrip()] == []
