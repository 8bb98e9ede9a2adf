"""The README's shell examples, run in its order as a newcomer pastes them, in a copy of the project.

Every `geo …` line of its shell blocks (fenced ``sh`` and ``console`` blocks, and indented blocks), and every
line of a ``console`` block, runs in bash with the environment's `geo` on the PATH; each must exit 0, or 1 where
the README shows an error, and where the README shows output, its first line must be the command's.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from gazetteer_fixture import use_test_index

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SHELL_FENCES = {"sh", "console", "bash", "shell", ""}  # an unlabelled fence too: the layout block has no `geo` command
ACTIVATE = re.compile(r"(^|&&|;)\s*(\.|source) \.venv/bin/activate\b")


@dataclass(frozen=True)
class Example:
    line: int
    command: str
    shown: str | None = None
    """The first line of output the README shows for it, if any."""

    def __str__(self) -> str:
        return f"README.md:{self.line}: {self.command}"


def is_geo(command: str) -> bool:
    return command.split(maxsplit=1)[0] == "geo"


def calls_geo(command: str) -> bool:
    """Whether a step of the pipeline is `geo`: ``printf … | geo resolve -`` is a geo example too."""
    return any(part.strip() and is_geo(part) for part in command.split("|"))


def shell_examples(text: str) -> list[Example]:
    """The commands of the README's shell blocks, in order, with the output a console block shows."""
    found: list[Example] = []
    fence: str | None = None
    previous = ""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            fence = None if fence is not None else line[3:].strip()
        elif fence == "console":
            if line.startswith("$ "):
                found.append(Example(number, line[2:]))
            elif found and found[-1].line == number - 1 and found[-1].shown is None:
                found[-1] = Example(found[-1].line, found[-1].command, line)
        elif fence in SHELL_FENCES:
            # The set-up line installs before it calls geo: run the geo commands it chains.
            found += [Example(number, part.strip()) for part in line.split("&&") if calls_geo(part)]
        elif fence is None and line.startswith("    ") and calls_geo(line):
            assert not previous.strip() or previous.startswith("    "), f"README.md:{number}: not in an indented block"
            found.append(Example(number, line.strip()))
        previous = line
    return found


EXAMPLES = shell_examples(README.read_text(encoding="utf-8"))


def test_the_readme_activates_the_environment_before_its_first_bare_geo() -> None:
    text = README.read_text(encoding="utf-8")
    first_geo = next(e.line for e in EXAMPLES if calls_geo(e.command))
    set_up = text.splitlines()[first_geo - 1]
    assert ACTIVATE.search(set_up.split(" geo ")[0]), f"README.md:{first_geo} calls geo before activating .venv"
    assert {"geo build", "geo check", "geo add", "geo resolve", "geo extract"} <= {
        " ".join(e.command.split()[:2]) for e in EXAMPLES
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of what a clone holds that the examples read: the place list and the example article."""
    use_test_index()
    work = tmp_path_factory.mktemp("clone")
    shutil.copy(ROOT / "places.yaml", work / "places.yaml")
    shutil.copytree(ROOT / "examples", work / "examples", ignore=shutil.ignore_patterns("*.ipynb"))
    return work


def environment() -> dict[str, str]:
    """The shell a newcomer has after activating .venv: its `geo` first on the PATH; no browser, no network."""
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "geo").exists(), f"no geo in {bin_dir}: install the project (pip install -e .)"
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", BROWSER="true")
    # --online examples meet no name the offline index lacks; were one asked, it would fail here, not go out.
    env.update(HTTP_PROXY="http://127.0.0.1:9", HTTPS_PROXY="http://127.0.0.1:9", NO_PROXY="")
    return env


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"line {e.line}")
def test_the_readme_example_runs(project: Path, example: Example) -> None:
    result = subprocess.run(["bash", "-c", example.command], cwd=project, env=environment(), capture_output=True,
                            text=True, timeout=300, check=False)  # fmt: skip
    fails = example.shown is not None and example.shown.startswith("geo: error:")
    assert result.returncode == (1 if fails else 0), f"{example}\n{result.stderr}"
    if example.shown is not None:
        first = (result.stdout or result.stderr).splitlines()[0]
        assert first == example.shown, f"{example}: the README shows\n{example.shown}\nbut it prints\n{first}"
