"""Every command and subcommand of `geo` has --help with an indented example, and a row in the README's table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from geo.cli import main

README = Path(__file__).resolve().parents[1] / "README.md"


def command_paths(group: click.Group = main, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command reachable from ``group``, subcommands of subgroups included, as the words that call it."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"geo {' '.join((*path, name))} is listed but cannot be loaded"
        yield (*path, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*path, name))


PATHS = list(command_paths())
EXAMPLE_HEADER = re.compile(r"^(?P<indent> *)Examples?:$")


def examples(help_text: str) -> list[str]:
    """The lines under the help's "Example:" header, each indented four spaces deeper than it, as the others are."""
    lines = help_text.splitlines()
    header = next((i for i, line in enumerate(lines) if EXAMPLE_HEADER.match(line)), None)
    assert header is not None, "no 'Example:' header"
    indent = " " * (len(EXAMPLE_HEADER.match(lines[header])["indent"]) + 4)  # type: ignore[index]
    block = []
    for line in lines[header + 1:]:
        if not line.strip():
            break
        assert line.startswith(indent) and line[len(indent)] != " ", f"not indented like the other examples: {line!r}"
        block.append(line[len(indent):])
    return block


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_every_command_has_an_indented_example_of_itself(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"], prog_name="geo")
    assert result.exit_code == 0, result.output
    block = examples(result.output)
    call = re.compile(rf"^(\w+=\S+ )*geo {' '.join(path)}( |$)")  # an environment variable may come first
    assert block and all(call.match(line) for line in block), block


def readme_commands() -> list[str]:
    """The first column of the README's command table."""
    text = README.read_text(encoding="utf-8")
    table = text.split("| command | what it does |", 1)[1].split("\n\n", 1)[0]
    return [row.split(" | ")[0] for row in table.splitlines()[2:]]


@pytest.mark.parametrize("path", PATHS, ids=" ".join)
def test_every_command_is_in_the_readme_table(path: tuple[str, ...]) -> None:
    called = re.compile(rf"`geo {' '.join(path)}[` ]")
    assert any(called.search(cell) for cell in readme_commands()), f"geo {' '.join(path)} is not in the README's table"


def test_the_readme_table_names_only_real_commands() -> None:
    called = re.compile(r"`geo ([a-z][a-z ]*?)[` \[]")
    named = {tuple(words.split()) for cell in readme_commands() for words in called.findall(cell)}
    assert named and named <= set(PATHS), named - set(PATHS)


def options(*path: str) -> set[str]:
    ctx = click.Context(main)
    command: click.Command | None = main
    for word in path:
        assert isinstance(command, click.Group)
        command = command.get_command(ctx, word)
    assert command is not None
    return {opt for param in command.params for opt in param.opts if opt.startswith("--")}


def test_open_takes_every_option_build_takes() -> None:
    assert options("build") - {"--open"} <= options("open"), options("build") - options("open")


def test_serve_takes_every_option_of_the_page_build_takes() -> None:
    """All but where the page is written: the server writes no file."""
    assert options("build") - {"--open", "-o", "--output"} <= options("serve"), options("build") - options("serve")


def test_every_command_that_looks_names_up_can_look_them_up_online() -> None:
    for path in (("build",), ("open",), ("check",), ("pin",), ("resolve",), ("serve",)):
        assert {"--online", "--geocoder", "--geocoder-opt"} <= options(*path), path
