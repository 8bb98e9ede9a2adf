"""Writing results without ever leaving a half-written file behind.

Every file geo writes (a map, GeoJSON, a draft or an edited place list) goes
through :func:`write_atomic`: the new text goes to a temporary file beside the
target, is flushed to disk, and is renamed over the target. A reader sees the old
file or the new one, never a mix, and a failure leaves the old file as it was.

The rename replaces whatever the name pointed at, so the target is checked first:
a device, a folder or a FIFO is refused rather than turned into a regular file, a
read-only file or folder is refused rather than silently replaced, and a symbolic
link is written through (the file it points to changes, the link stays a link).
"""

from __future__ import annotations

import os
import shlex
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path

from geo.errors import OutputError

NEW_FILE_MODE = 0o644

_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a FIFO (named pipe)",
    stat.S_IFSOCK: "a socket",
}


def write_atomic(path: Path | str, text: str | bytes, elsewhere: str = "") -> None:
    """Replace the file at ``path`` by ``text`` (UTF-8, ``\\n`` line ends; bytes as they are), atomically.

    ``elsewhere`` is the caller's way to write somewhere else (e.g. "choose
    another path with -o"); it ends the error message when the target is refused,
    so that each command suggests only what it offers.
    """
    path = Path(path)
    target = writable_target(path, elsewhere)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise _cannot_write(path, exc, elsewhere) from None
    try:
        try:
            binary = isinstance(text, bytes)
            with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())  # the data is on disk before the name points to it
            os.chmod(tmp, _mode_for(target))
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise _cannot_write(path, exc, elsewhere) from None
    _sync_folder(target.parent)


def format_of(path: Path | str, extensions: Mapping[str, str], option: str = "-o") -> str:
    """The format that ``path``'s extension names (``extensions`` maps ".kml" to "kml"), or a
    one-line :class:`OutputError` naming the option and the extensions it takes."""
    suffix = Path(path).suffix.lower()
    if suffix in extensions:
        return extensions[suffix]
    valid = ", ".join(list(extensions)[:-1]) + f" or {list(extensions)[-1]}"
    said = f"its extension {suffix!r} is not one geo writes" if suffix else "it has no extension"
    raise OutputError(f"{path}: {said}; give {option} a file ending in {valid}")


def writable_target(path: Path | str, elsewhere: str = "") -> Path:
    """The file that writing to ``path`` must replace (symbolic links followed),
    or :class:`OutputError` saying why it must not be replaced.

    Permissions are judged by their mode bits as well as by ``os.access``: a
    superuser may write anything, yet a file made read-only should stay as it is.
    """
    path = Path(path)
    target = Path(os.path.realpath(path))
    try:
        status = target.stat()
    except FileNotFoundError:
        status = None
    except OSError as exc:
        raise _cannot_write(path, exc, elsewhere) from None
    if status is not None:
        if not stat.S_ISREG(status.st_mode):
            kind = _KINDS.get(stat.S_IFMT(status.st_mode), "not a regular file")
            fix = elsewhere or "give the path of a regular file"
            raise OutputError(f"{path}: it is {kind}, and geo writes only regular files; {fix}")
        if why := _not_writable("the file", target, status):
            fix = f"make it writable with `chmod u+w {shlex.quote(str(path))}`"
            raise _refused(path, f"{why}, so geo leaves it as it is", fix, elsewhere)
    folder = _existing_ancestor(target.parent)
    if why := _not_writable(f"its folder {folder}", folder, folder.stat()):
        fix = f"make the folder writable with `chmod u+w {shlex.quote(str(folder))}`"
        raise _refused(path, f"{why}, and geo saves a file by replacing it in its folder", fix, elsewhere)
    return target


def _not_writable(what: str, path: Path, status: os.stat_result) -> str:
    """Why ``path`` must not be written to, or "" if it may."""
    mode = stat.S_IMODE(status.st_mode)
    if not mode & 0o222:
        return f"{what} is read-only (mode {mode:o})"
    if not os.access(path, os.W_OK):
        return f"{what} is not writable by you (mode {mode:o}, owner uid {status.st_uid})"
    return ""


def _existing_ancestor(folder: Path) -> Path:
    """``folder`` or its nearest existing parent: where missing folders would be made."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _mode_for(target: Path) -> int:
    """The target's permissions, so that replacing a file keeps them."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return NEW_FILE_MODE


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every file system can sync a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _refused(path: Path, why: str, fix: str, elsewhere: str) -> OutputError:
    return OutputError(f"{path}: {why}; {fix}" + (f", or {elsewhere}" if elsewhere else ""))


def _cannot_write(path: Path, exc: OSError, elsewhere: str) -> OutputError:
    return OutputError(
        f"{path}: cannot write there ({exc.strerror}); check the path and the free space"
        + (f", or {elsewhere}" if elsewhere else "")
    )
