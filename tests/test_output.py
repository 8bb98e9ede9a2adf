"""Writes replace the file they were asked to, and nothing else, or say why not in one line."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from geo import placelist
from geo.cli import main
from geo.errors import OutputError
from geo.output import write_atomic

ROOT = Path(__file__).resolve().parents[1]

# Points only: building it needs no gazetteer.
PLACES = """\
# kept: a comment
title: Writes
places:
  - name: Raqqa
    point: [35.95, 39.01]
"""


class NoGazetteer:
    def lookup(self, name: str, **kwargs: object) -> list[object]:
        return []


@pytest.fixture(autouse=True)
def no_gazetteer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("geo.cli.options.default_gazetteer", NoGazetteer)


@pytest.fixture
def places(tmp_path: Path) -> Path:
    path = tmp_path / "places.yaml"
    path.write_text(PLACES)
    return path


@pytest.fixture
def read_only_folder(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "read-only"
    folder.mkdir()
    (folder / "places.yaml").write_text(PLACES)
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)  # so that the test's folder can be removed


def geo(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(arg) for arg in args])


def refused(result: Result) -> str:
    """The one error line of a refused command."""
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("geo: error: "), result.stderr
    return lines[0]


def temp_files(*folders: Path) -> list[str]:
    return [p.name for folder in folders for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_add_through_a_symlinked_place_list_edits_the_file_it_points_to(tmp_path: Path) -> None:
    real = tmp_path / "shared" / "places.yaml"
    real.parent.mkdir()
    real.write_text(PLACES)
    link = tmp_path / "work" / "places.yaml"
    link.parent.mkdir()
    link.symlink_to(real)
    assert geo("add", "Tabqa", link, "--at", "35.84,38.55").exit_code == 0
    assert link.is_symlink() and link.readlink() == real
    assert [p.name for p in placelist.load(real).places] == ["Raqqa", "Tabqa"]
    assert real.read_text().startswith("# kept: a comment\n")
    assert temp_files(real.parent, link.parent) == []


def test_build_through_a_symlinked_output_writes_the_file_it_points_to(places: Path, tmp_path: Path) -> None:
    real = tmp_path / "site" / "map.html"
    real.parent.mkdir()
    real.write_text("old map")
    link = tmp_path / "map.html"
    link.symlink_to(real)
    assert geo("build", places, "-o", link).exit_code == 0
    assert link.is_symlink() and link.readlink() == real
    assert '"name":"Raqqa"' in real.read_text()


def test_build_to_a_device_is_refused_and_the_device_stays_one(places: Path) -> None:
    line = refused(geo("build", places, "-o", "/dev/full"))
    assert line == (
        "geo: error: /dev/full: it is a character device, and geo writes only regular files; "
        "choose another path with -o"
    )
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert [name for name in os.listdir("/dev") if name.startswith(".full.")] == []


def test_export_to_a_folder_or_a_fifo_is_refused(places: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "it is a FIFO (named pipe)" in refused(geo("export", places, "-o", fifo))
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert "it is a folder" in refused(geo("export", places, "-o", tmp_path))
    assert temp_files(tmp_path) == []


def test_add_to_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "places.yaml"
    os.mkfifo(fifo)
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    command = [sys.executable, "-m", "geo", "add", "X", str(fifo), "--at", "1,2"]
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env, timeout=60)  # reading it would hang
    assert done.returncode == 1
    assert done.stderr == f"geo: error: {fifo}: not a regular file; give the path of a place list, e.g. places.yaml\n"


def test_a_read_only_place_list_is_not_edited(places: Path) -> None:
    places.chmod(0o444)
    line = refused(geo("add", "Tabqa", places, "--at", "35.84,38.55"))
    assert line == (
        f"geo: error: {places}: the file is read-only (mode 444), so geo leaves it as it is; "
        f"make it writable with `chmod u+w {places}`"
    )
    assert places.read_text() == PLACES
    assert stat.S_IMODE(places.stat().st_mode) == 0o444


def test_a_read_only_output_is_not_replaced(places: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    out.write_text("kept")
    out.chmod(0o444)
    assert refused(geo("build", places, "-o", out)).endswith("or choose another path with -o")
    assert out.read_text() == "kept"


def test_add_in_a_read_only_folder_says_how_to_fix_it_without_options_add_lacks(read_only_folder: Path) -> None:
    places = read_only_folder / "places.yaml"
    line = refused(geo("add", "Tabqa", places, "--at", "35.84,38.55"))
    assert line == (
        f"geo: error: {places}: its folder {read_only_folder} is read-only (mode 555), and geo saves a file "
        f"by replacing it in its folder; make the folder writable with `chmod u+w {read_only_folder}`"
    )
    assert places.read_text() == PLACES


def test_build_in_a_read_only_folder_suggests_another_path(places: Path, read_only_folder: Path) -> None:
    out = read_only_folder / "output" / "map.html"
    line = refused(geo("build", places, "-o", out))
    assert f"its folder {read_only_folder} is read-only" in line and line.endswith("or choose another path with -o")
    assert not out.parent.exists()


def test_replacing_a_file_keeps_its_mode_and_a_new_file_gets_the_usual_one(places: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    out.write_text("old")
    out.chmod(0o640)
    assert geo("build", places, "-o", out).exit_code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o640 and out.read_text() != "old"
    new = tmp_path / "new" / "places.geojson"
    assert geo("export", places, "-o", new).exit_code == 0
    assert stat.S_IMODE(new.stat().st_mode) == 0o644


def test_data_is_flushed_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    fsync, replace = os.fsync, os.replace

    def recording_fsync(fd: int) -> None:
        calls.append(f"fsync {os.readlink(f'/proc/self/fd/{fd}')}")
        fsync(fd)

    def recording_replace(src: str, dst: str) -> None:
        calls.append(f"replace {src}")
        replace(src, dst)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    monkeypatch.setattr(os, "replace", recording_replace)
    out = tmp_path / "map.html"
    write_atomic(out, "new")
    temp = calls[1].removeprefix("replace ")
    assert temp.endswith(".tmp") and calls == [f"fsync {temp}", f"replace {temp}", f"fsync {tmp_path}"]
    assert out.read_text() == "new"


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_a_failed_write_leaves_the_old_file_and_no_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    out = tmp_path / "map.html"
    out.write_text("old")

    def fail(*args: object) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OutputError, match=r"map.html: cannot write there \(Input/output error\)"):
        write_atomic(out, "new", elsewhere="choose another path with -o")
    assert out.read_text() == "old"
    assert temp_files(tmp_path) == []


def test_text_that_cannot_be_written_leaves_no_temp_file(tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    out.write_text("old")
    with pytest.raises(UnicodeEncodeError):
        write_atomic(out, "a lone surrogate \ud800 is not UTF-8")
    assert out.read_text() == "old"
    assert temp_files(tmp_path) == []
