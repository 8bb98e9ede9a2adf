"""The examples of README.md's "Python API" section, run as doctests: the documentation must do what it says."""

from __future__ import annotations

import doctest
import re
import shutil
from pathlib import Path

import pytest
from gazetteer_fixture import use_test_index

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
HEADING = "## Python API"


def python_blocks(readme: str) -> list[str]:
    """The ```python blocks of the section under :data:`HEADING`, up to the next heading of its level or above."""
    lines = readme.split("\n")
    assert HEADING in lines, f"README.md has no {HEADING!r} section"
    blocks: list[str] = []
    fence: list[str] | None = None
    for line in lines[lines.index(HEADING) + 1 :]:
        if fence is None and re.match(r"#{1,2} ", line):
            break  # the next section (a "# " inside a code block is not a heading)
        if fence is None and line.startswith("```"):
            fence = [] if line.strip() == "```python" else ["not python"]
        elif fence is not None and line.startswith("```"):
            if fence[:1] != ["not python"]:
                blocks.append("\n".join(fence) + "\n")
            fence = None
        elif fence is not None:
            fence.append(line)
    return blocks


def test_the_readme_api_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = python_blocks(README.read_text(encoding="utf-8"))
    assert blocks, f"the {HEADING!r} section of README.md has no ```python example"
    use_test_index()
    shutil.copy(ROOT / "places.yaml", tmp_path / "places.yaml")
    monkeypatch.chdir(tmp_path)  # the examples read places.yaml and may write files
    parser, runner, namespace = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS), {}
    examples = 0
    for number, block in enumerate(blocks, 1):
        test = parser.get_doctest(block, namespace, f"README.md {HEADING} block {number}", str(README), 0)
        assert test.examples, f"block {number} of {HEADING!r} is not written as >>> examples"
        examples += len(test.examples)
        runner.run(test, clear_globs=False)
        namespace = test.globs  # a later block may use what an earlier one made
    assert runner.summarize(verbose=False) == (0, examples)
