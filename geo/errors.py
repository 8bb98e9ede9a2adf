"""The one exception hierarchy of geo.

Every error a user can cause derives from :class:`GeoError`; the CLI turns it into
a single line on stderr and a non-zero exit, in one place (``geo.cli``). Anything
else that escapes is a bug and is reported as such.
"""

from __future__ import annotations

from pathlib import Path


class GeoError(Exception):
    """Something the user can fix. ``str()`` is the whole one-line message."""

    exit_code = 1


class PlaceListError(GeoError, ValueError):
    """A place list that cannot be read, or whose content is wrong.

    It names the file and line, what is wrong and how to fix it, so that the
    message alone lets a person repair the file.
    """

    def __init__(self, path: Path | str, line: int | None, problem: str, fix: str = ""):
        self.path = Path(path)
        self.line = line
        self.problem = problem
        self.fix = fix
        where = f"{self.path}:{line}" if line else str(self.path)
        message = f"{where}: {problem}"
        if fix:
            message += f"; {fix}"
        super().__init__(message)


class ResolutionError(GeoError, LookupError):
    """A name that no gazetteer knows, or a placement that cannot be computed."""


class OutputError(GeoError, OSError):
    """The result cannot be written where it was asked to go."""


class CacheError(GeoError, OSError):
    """The cache directory or the gazetteer index in it cannot be used: which, why, and the fix."""


class ArticleError(GeoError, ValueError):
    """An article that cannot be read as text: which file, where, and the fix."""


class RenderError(GeoError, ValueError):
    """A static map that cannot be drawn as asked: which option, why, and the fix."""
