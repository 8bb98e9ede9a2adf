"""The gazetteer's cache file as users meet it: damage, killed builds, two starts at once, bad directories.

Every build here is real and fast: geo run as a separate process, building with its own
code from its source packages cut to a few countries (gazetteer_fixture.write_small_sources),
in about a second. Each test has its own cache directory; the shared test index is not touched.
"""

from __future__ import annotations

import ctypes
import fcntl
import os
import pty
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from gazetteer_fixture import write_small_sources

from geo.gazetteer import BUILTIN_CSV, index

ROOT = Path(__file__).resolve().parents[1]
RAQQA = "Raqqa\t35.95283\t39.00788\tSY"


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_sources(tmp_path_factory.mktemp("sources"))


def environment(cache: Path, sources: Path | None) -> dict[str, str]:
    """geo's environment: the cut sources (if given) in place of the installed ones, then this checkout."""
    paths = [str(sources)] if sources else []
    paths += [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    return {**os.environ, "GEO_CACHE_DIR": str(cache), "PYTHONPATH": os.pathsep.join(paths)}


def _without_root_powers() -> None:
    """Drop the capabilities that let root ignore file permissions, so they stop geo as they stop a user.

    Dropped from the bounding set before exec, they are gone from the new program
    (prctl PR_CAPBSET_DROP of CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH).
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        if libc.prctl(24, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def geo(cache: Path, *args: str, sources: Path | None, as_a_user: bool = False,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``geo ARGS`` to its end, in ``cwd`` or beside the cache; ``as_a_user``: held to file permissions even as root."""
    return subprocess.run(
        [sys.executable, "-m", "geo", *args], check=False, env=environment(cache, sources), capture_output=True, text=True,
        timeout=120, cwd=cwd or cache.parent, preexec_fn=_without_root_powers if as_a_user and os.geteuid() == 0 else None,
    )


def start_geo(cache: Path, *args: str, sources: Path | None, stderr: Path) -> subprocess.Popen[str]:
    with stderr.open("w") as file:
        return subprocess.Popen([sys.executable, "-m", "geo", *args], env=environment(cache, sources),
                                stdout=subprocess.PIPE, stderr=file, text=True, cwd=cache.parent)


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.01)


def temp_files(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.glob("gazetteer.tmp*"))


@pytest.fixture(scope="module")
def built(sources: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A small index built by ``geo gazetteer build`` with stderr on a pipe, and what it printed there."""
    cache = tmp_path_factory.mktemp("built") / "cache"
    result = geo(cache, "gazetteer", "build", sources=sources)
    assert result.returncode == 0, result.stderr
    return cache / "gazetteer.sqlite", result.stderr


def copy_of(built: tuple[Path, str], cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(built[0], cache / "gazetteer.sqlite"))


# --- what `geo gazetteer build` prints ------------------------------------------------


def test_build_in_a_log_prints_a_geo_line_per_stage_with_a_percentage(built: tuple[Path, str]) -> None:
    lines = built[1].splitlines()
    stages = [re.fullmatch(r"geo: building the gazetteer index: (.+) \((\d+)%\)", line) for line in lines[:-1]]
    assert all(stages), lines
    assert [m[1] for m in stages] == list(index.STAGES)  # type: ignore[index]
    percents = [int(m[2]) for m in stages]  # type: ignore[index]
    assert percents == sorted(percents) and percents[0] == 0 and percents[-1] < 100
    assert lines[-1].startswith("geo: gazetteer index built in ") and str(built[0]) in lines[-1]


def test_a_first_lookup_in_a_log_prints_the_same_stage_lines(sources: Path, tmp_path: Path) -> None:
    """The index is built on first use too (``geo open`` on a fresh machine): a log sees each stage with its percentage."""
    result = geo(tmp_path / "cache", "resolve", "Raqqa", sources=sources)
    assert result.returncode == 0 and result.stdout.startswith(RAQQA), result.stderr
    stages = [re.fullmatch(r"geo: building the gazetteer index: (.+) \((\d+)%\)", line) for line in result.stderr.splitlines()]
    assert all(stages) and [m[1] for m in stages] == list(index.STAGES), result.stderr  # type: ignore[index]


@pytest.mark.parametrize("command", [("gazetteer", "build"), ("resolve", "Raqqa")], ids=["build", "first lookup"])
def test_build_on_a_terminal_draws_a_bar(command: tuple[str, ...], sources: Path, tmp_path: Path) -> None:
    main, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "geo", *command], stdout=subprocess.DEVNULL,
                               stderr=terminal, env=environment(tmp_path / "cache", sources), cwd=tmp_path)
    os.close(terminal)
    seen = b""
    while True:
        try:
            chunk = os.read(main, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        seen += chunk
    os.close(main)
    assert process.wait(timeout=120) == 0
    text = seen.decode()
    assert re.search(r"geo: building the gazetteer index +\[#+\] +100%", text), text
    assert "(20%)" not in text  # no stage lines on a terminal


# --- a damaged file is found and rebuilt ----------------------------------------------


def _garble_header(path: Path) -> None:
    with path.open("r+b") as file:
        file.seek(16)  # "SQLite format 3" left in place: the page size and count are garbage
        file.write(b"\xa5" * 84)


def _truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def _replace_with_text(path: Path) -> None:
    path.write_text("this is not a database\n")


def _page_of(path: Path, table: str) -> tuple[int, int]:
    """(offset, size) of the root page of ``table``: the page every lookup in it reads first."""
    db = sqlite3.connect(path)
    (root,) = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    (size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    return (root - 1) * size, size


def _garble_the_names_page(path: Path) -> None:
    """Damage the open check cannot see (length and header intact); the first lookup meets it."""
    offset, size = _page_of(path, "keys")
    with path.open("r+b") as file:
        file.seek(offset)
        file.write(b"\xff" * size)


@pytest.mark.parametrize("damage", [_garble_header, _truncate, _replace_with_text, _garble_the_names_page],
                         ids=["garbled header", "truncated", "not SQLite", "bad page inside"])
def test_a_damaged_index_is_rebuilt_saying_so_in_one_line(damage: Callable[[Path], None], built: tuple[Path, str],
                                                          sources: Path, tmp_path: Path) -> None:
    path = copy_of(built, tmp_path / "cache")
    damage(path)
    result = geo(path.parent, "resolve", "Raqqa", sources=sources)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(RAQQA)
    said = [line for line in result.stderr.splitlines() if not line.startswith("geo: building the gazetteer index:")]
    assert len(said) == 1 and said[0].startswith(f"geo: the gazetteer index {path} is damaged ("), result.stderr
    assert said[0].endswith("; rebuilding it")
    assert geo(path.parent, "gazetteer", "info", sources=sources).stdout.startswith(f"{path}: current")
    again = geo(path.parent, "resolve", "Raqqa", sources=sources)
    assert (again.returncode, again.stderr) == (0, "")


def test_info_reads_every_page_and_does_not_call_a_damaged_index_current(built: tuple[Path, str], sources: Path,
                                                                          tmp_path: Path) -> None:
    path = copy_of(built, tmp_path / "cache")
    assert geo(path.parent, "gazetteer", "info", sources=sources).stdout.startswith(f"{path}: current")
    offset, size = _page_of(path, "places")
    with path.open("r+b") as file:
        file.seek(offset)
        file.write(b"\xff" * size)
    result = geo(path.parent, "gazetteer", "info", sources=sources)
    assert result.returncode == 0
    assert result.stdout.startswith(f"{path}: damaged: ") and "current" not in result.stdout
    assert "`geo gazetteer build`" in result.stdout and len(result.stdout.splitlines()) == 1



# --- one build at a time, and no leftovers --------------------------------------------


def test_two_processes_started_together_build_once(sources: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    logs = [tmp_path / "first.err", tmp_path / "second.err"]
    cache.mkdir()
    with (cache / "gazetteer.lock").open("w") as lock:  # a build in progress, as geo sees it
        fcntl.flock(lock, fcntl.LOCK_EX)
        processes = [start_geo(cache, "resolve", "Raqqa", sources=sources, stderr=log) for log in logs]
        wait_for(lambda: all("waiting for another process" in log.read_text() for log in logs), "both to wait")
    # Released: both race for the lock; one builds, the other waits again and then uses its index.
    outputs = [process.communicate(timeout=120)[0] for process in processes]
    assert [process.returncode for process in processes] == [0, 0]
    assert all(output.startswith(RAQQA) for output in outputs)
    builders = [log for log in logs if "geo: building the gazetteer index:" in log.read_text()]
    assert len(builders) == 1, [log.read_text() for log in logs]
    assert temp_files(cache) == []


def _kill_a_build_midway(cache: Path) -> None:
    """Start a full build (from the installed sources, half a minute) and kill it once its temporary file exists."""
    build = start_geo(cache, "gazetteer", "build", sources=None, stderr=cache.parent / "killed.err")
    try:
        wait_for(lambda: temp_files(cache) != [], "the build's temporary file")
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait(timeout=60)


@pytest.mark.parametrize("then", [("resolve", "Raqqa"), ("gazetteer", "build")], ids=["then a lookup", "then a build"])
def test_a_killed_build_leaves_no_temporary_file(then: tuple[str, ...], built: tuple[Path, str], sources: Path,
                                                 tmp_path: Path) -> None:
    path = copy_of(built, tmp_path / "cache")
    _kill_a_build_midway(path.parent)
    assert temp_files(path.parent) != []
    result = geo(path.parent, *then, sources=sources)
    assert result.returncode == 0, result.stderr
    assert temp_files(path.parent) == []
    assert geo(path.parent, "resolve", "Raqqa", sources=sources).stdout.startswith(RAQQA)


# --- a cache directory that cannot be used --------------------------------------------


def _a_file(tmp: Path) -> Path:
    (tmp / "cache").write_text("not a directory\n")
    return tmp / "cache"


def _under_a_file(tmp: Path) -> Path:
    (tmp / "cache").write_text("not a directory\n")
    return tmp / "cache" / "geo"


def _read_only(tmp: Path) -> Path:
    (tmp / "cache").mkdir(mode=0o555)
    return tmp / "cache"


def _parent_cannot_be_made(tmp: Path) -> Path:
    (tmp / "locked").mkdir(mode=0o555)
    return tmp / "locked" / "typo" / "geo"


@pytest.mark.parametrize("command", [("resolve", "Raqqa"), ("gazetteer", "build")], ids=["lookup", "build"])
@pytest.mark.parametrize(("make", "why"), [(_a_file, "it is a file"), (_under_a_file, "{tmp}/cache is a file"),
                                           (_read_only, "permission denied"), (_parent_cannot_be_made, "permission denied")],
                         ids=["a file", "under a file", "read-only", "parent cannot be made"])
def test_an_unusable_cache_directory_is_one_line_naming_it_and_the_fix(make: Callable[[Path], Path], why: str,
                                                                      command: tuple[str, ...], tmp_path: Path) -> None:
    cache = make(tmp_path)
    result = geo(cache, *command, sources=None, as_a_user=True, cwd=tmp_path)
    assert result.returncode == 1
    said = f"geo: error: cannot use the cache directory {cache} for the gazetteer index: {why.format(tmp=tmp_path)}"
    assert result.stderr.startswith(said), result.stderr
    assert result.stderr.endswith("; set GEO_CACHE_DIR to a directory you can write to\n")
    assert result.stderr.count("\n") == 1 and list(tmp_path.rglob("gazetteer.tmp*")) == []


def test_a_read_only_cache_with_a_current_index_is_used_as_it_is(built: tuple[Path, str], sources: Path,
                                                                 tmp_path: Path) -> None:
    path = copy_of(built, tmp_path / "cache")
    path.parent.chmod(0o555)
    result = geo(path.parent, "resolve", "Raqqa", sources=sources, as_a_user=True)
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.startswith(RAQQA)


def _content(path: Path) -> tuple[list[tuple], list[tuple]]:  # type: ignore[type-arg]
    db = sqlite3.connect(path)
    try:
        return (db.execute("SELECT * FROM places ORDER BY pid").fetchall(),
                db.execute("SELECT * FROM keys ORDER BY key, rank, pid").fetchall())
    finally:
        db.close()


def test_an_index_built_without_helper_processes_is_the_same(built: tuple[Path, str], sources: Path,
                                                              tmp_path: Path) -> None:
    """Where processes cannot be forked, the build does the helpers' work itself, to the same file content."""
    code = ("import multiprocessing, sys; multiprocessing.get_all_start_methods = lambda: ['spawn']; "
            "from geo.gazetteer import index; index.build(index.index_path())")
    run = subprocess.run([sys.executable, "-c", code], env=environment(tmp_path / "cache", sources), capture_output=True,
                         text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    alone = _content(tmp_path / "cache" / "gazetteer.sqlite")
    assert alone == _content(built[0]) and len(alone[1]) > 10_000


# --- when the file counts as current --------------------------------------------------


def test_the_signature_follows_content_not_file_times(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = tmp_path / "data"
    shutil.copytree(BUILTIN_CSV.parent, data)
    installed = [path for path in index.source_files() if path.parent != BUILTIN_CSV.parent]
    monkeypatch.setattr(index, "BUILTIN_CSV", data / BUILTIN_CSV.name)
    monkeypatch.setattr(index, "source_files", lambda: [*installed, *sorted(data.glob("*.csv"))])
    before = index.signature()
    curated = data / "curated.csv"
    os.utime(curated, ns=(0, 10**18))  # a checkout or a copy: new times, same content
    assert index.signature() == before
    curated.write_text(curated.read_text() + "Extra,site,SY,35.0,38.0,,,curated,extra,test\n")
    assert index.signature() != before
