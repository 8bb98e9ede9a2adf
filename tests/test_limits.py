"""Place lists built to exhaust geo: each is refused with one line naming the file and line,
quickly and in bounded memory, or, when it is valid, resolved.

Every file here runs through a real ``geo check`` process limited to 2 GB of address space
and 60 s, as an unlucky user or an attacker would run it. (Wrong values, such as NaN or an
impossible date, are in test_placelist.py.)
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from gazetteer_fixture import use_test_index

ROOT = Path(__file__).resolve().parents[1]
HEAD = "title: T\nplaces:\n"
POINT = "  - name: A\n    point: [35.9, 39.0]\n"
ONE_LINE_ERROR = re.compile(r"geo: error: (?P<file>[^:\n]+):(?P<line>\d+): (?P<problem>[^\n;]+); (?P<fix>[^\n]+)\n")


def alias_bomb() -> str:
    """Ten levels of nine aliases: 9^10 (3.5 billion) values once expanded."""
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    return "title: T\n" + "\n".join(levels) + "\nplaces:\n  - name: A\n    notes: *a9\n"


def geo_check(path: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``geo check PATH`` in its own process, with 2 GB of address space at most."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))

    use_test_index()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "geo", "check", str(path)],
        capture_output=True, text=True, timeout=timeout, preexec_fn=limit_memory, env=env, cwd=path.parent,
    )  # fmt: skip


HOSTILE: dict[str, tuple[str | bytes, int, str]] = {
    # name: (file content, line of the error, words of the problem)
    "alias bomb": (alias_bomb(), 3, "the alias *a0 repeats another value"),
    "flow nesting 5,000 deep": (HEAD + "  - name: A\n    notes: " + "[" * 5000 + "]" * 5000 + "\n", 4, "nested more than 20"),
    "block nesting 1,000 deep": (
        HEAD + "  - name: A\n    notes:\n" + "".join("  " * (i + 3) + f"k{i}:\n" for i in range(1000)), 21, "nested more than 20",
    ),
    "bad UTF-8": ((HEAD + "  - name: A\n    notes: caf\xe9\n").encode("latin-1"), 4, "byte 0xe9 is not UTF-8"),
    "UTF-16": ((HEAD + POINT).encode("utf-16"), 1, "is not UTF-8"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_place_list_gets_one_line_with_its_file_and_line(name: str, tmp_path: Path) -> None:
    content, line, words = HOSTILE[name]
    path = tmp_path / "places.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = geo_check(path)
    assert result.returncode == 1, result.stderr[-2000:]
    error = result.stderr.splitlines(keepends=True)[-1]
    match = ONE_LINE_ERROR.fullmatch(error)
    assert match, result.stderr[-2000:]
    assert (match["file"], int(match["line"])) == (str(path), line), error
    assert words in match["problem"], error


def test_a_file_over_the_size_limit_is_refused_with_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(HEAD + POINT + "# " + "x" * 8_000_000 + "\n", encoding="utf-8")
    result = geo_check(path)
    assert result.returncode == 1
    assert result.stderr == (
        f"geo: error: {path}: the file is larger than 8 MB, the most a place list may have; "
        "split it into several place lists (10,000 annotated places take about 6 MB)\n"
    )


def test_a_file_of_too_many_values_is_refused_early(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(HEAD + "  - name: A\n    sources: [" + "a," * 500_000 + "a]\n", encoding="utf-8")
    result = geo_check(path, timeout=120)
    assert result.returncode == 1
    assert ": the file holds more than 500,000 values;" in result.stderr and result.stderr.count("\n") == 1


def test_a_chain_of_two_thousand_references_resolves(tmp_path: Path) -> None:
    """Each place 1 km north of the next one: no recursion, however long the chain."""
    chain = "".join(f"  - name: P{i}\n    relative: {{of: P{i + 1}, distance_km: 1, bearing: N}}\n" for i in range(1999))
    path = tmp_path / "places.yaml"
    path.write_text(HEAD + chain + "  - name: P1999\n    point: [0, 0]\n", encoding="utf-8")
    result = geo_check(path)
    assert result.returncode == 0, result.stderr[-2000:]
    first = result.stdout.splitlines()[0]
    assert first == "P0\tPoint\t18.07244, 0.00000\texact\t1 km at 0° from the centre of P1\tconfidence 1.00"


@pytest.mark.parametrize(
    ("outline", "problem"),
    [
        ("[[0, 0], [1, 1], [1, 0], [0, 1]]", "crosses itself at [0.50000, 0.50000]"),
        ("[[0, 0], [1, 1], [2, 2]]", "encloses no area at [1.00000, 1.00000]"),
    ],
)
def test_an_outline_that_is_no_polygon_is_reported_with_its_line(outline: str, problem: str, tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text(HEAD + POINT + f"  - name: B\n    polygon: {outline}\n", encoding="utf-8")
    result = geo_check(path)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == (
        f"geo: warning: {path}:5: place 'B' has an outline that {problem}; "
        "list its vertices in order around the area; it is left off the map"
    )
    assert result.stdout.splitlines()[-1] == f"B\tNOT PLACED\thas an outline that {problem}; list its vertices in order around the area"


def test_a_cycle_through_many_places_is_named(tmp_path: Path) -> None:
    chain = "".join(f"  - name: P{i}\n    relative: {{of: P{i + 1}, distance_km: 1, bearing: N}}\n" for i in range(1500))
    path = tmp_path / "places.yaml"
    path.write_text(HEAD + chain + "  - name: P1500\n    zone: {around: P0, radius_km: 1}\n", encoding="utf-8")
    result = geo_check(path)
    assert result.returncode == 1
    assert re.fullmatch(rf"geo: error: {re.escape(str(path))}:3: reference cycle: P0 -> P1 -> .* -> P1500 -> P0; [^\n]+\n", result.stderr)


def test_an_error_message_stays_on_one_line_whatever_the_name_holds(tmp_path: Path) -> None:
    """A file name with a line break and an escape sequence: the message escapes both."""
    path = tmp_path / "new\nline\x1b[2J.yaml"
    result = geo_check(path)
    assert result.returncode == 1
    assert result.stderr == f"geo: error: {tmp_path}/new\\nline\\x1b[2J.yaml: no such file; give the path of a place list, e.g. places.yaml\n"


def test_a_yaml_1_1_file_is_read_without_warnings(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text("%YAML 1.1\n---\ntitle: T\nplaces:\n  - name: A\n    point: [1e1, 2]\n", encoding="utf-8")
    result = geo_check(path)
    assert result.returncode == 0
    assert result.stdout.startswith("A\tPoint\t10.00000, 2.00000\t")
    assert result.stderr == f"{path}: 1 of 1 places resolved\n"


def test_no_nan_reaches_the_exported_json_or_the_page() -> None:
    """The last guard: should a NaN ever come out of the geometry, writing it fails instead of writing invalid JSON."""
    from geo import geojson, webmap

    for dumps in (geojson.dumps, webmap.script_json):
        with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
            dumps({"type": "FeatureCollection", "features": [{"coordinates": [float("nan"), 2.0]}]})
