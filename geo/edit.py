"""Editing a place list without disturbing the rest of the file.

An edit touches one entry of ``places:`` and nothing else: the new text is the old
text with only that entry's lines replaced, inserted or removed, so comments,
order, quoting and blank lines elsewhere stay byte-for-byte. The entry itself is
written by ruamel.yaml's round-trip dumper, which keeps its own comments, quotes
and flow lists. The result is checked with :func:`geo.placelist.parse` before it
is written (atomically).

No edit is lost to another. An edit runs inside :func:`editing`, which holds an
OS lock on the file from the read to the rename of the new file, so two geo
edits of one file run one after the other, the second reading what the first
wrote. A program that does not take the lock (a text editor) is caught by
compare-and-swap: the write is refused if the file's bytes changed since they
were read.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import io
import os
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.tokens import CommentToken

from geo import placelist
from geo.errors import GeoError, PlaceListError
from geo.gazetteer import Match
from geo.output import writable_target, write_atomic

BOM = "\ufeff"

# Where keys go in a new or edited entry: the order the schema and places.yaml use.
KEY_ORDER = (
    "name", "aliases", "kind", "layer", "country",
    "point", "line", "polygon", "relative", "zone", "area", "ref",
    "precision", "radius_km", "checked", "label", "notes", "events", "checks", "sources",
)  # fmt: skip

LOCK_WAIT_S = 60.0
"""How long an edit waits for another geo edit of the same file to finish."""


class EditError(GeoError):
    """An edit that cannot be made, or that was refused to protect the file."""


@dataclass
class Document:
    """A place list as read for editing: its exact text and its parsed forms."""

    path: Path
    text: str
    """The text with ``\\n`` line ends (the file's own are restored on save)."""
    newline: str
    bom: str
    digest: str
    """sha256 of the bytes read: the file must still have them when saved."""
    doc: Any
    """ruamel.yaml round-trip tree of ``text``."""
    places: placelist.PlaceList
    locked: bool = field(default=False, repr=False)
    """True inside :func:`editing`, while this process holds the file's lock."""

    @property
    def entries(self) -> CommentedSeq:
        return self.doc["places"]

    def index(self, name: str) -> int:
        """Position in ``places:`` of the place called ``name`` (or with that alias)."""
        wanted = name.casefold()
        for i, place in enumerate(self.places.places):
            if wanted in {n.casefold() for n in (place.name, *place.aliases)}:
                return i
        import difflib

        known = [p.name for p in self.places.places]
        close = difflib.get_close_matches(name, known, n=1)
        fix = f"did you mean {close[0]!r}?" if close else "`geo check` lists the places"
        raise EditError(f"{self.path}: no place called {name!r}; {fix}")


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 100_000  # never re-wrap a line
    return yaml


@contextmanager
def editing(path: Path | str) -> Iterator[Document]:
    """The place list at ``path``, read for one edit and locked until the block ends.

    Compute the new text and :func:`save` it inside the block: other geo edits of
    the file wait until it ends, then read the file as it was saved. The file must
    be valid (fix it first otherwise) and writable, which is checked before any
    work is done.
    """
    path = Path(path)
    with _locked(path) as handle:
        document = parse(_read(handle, path), path)
        document.locked = True
        try:
            yield document
        finally:
            document.locked = False


def read(path: Path | str) -> Document:
    """Read a place list without locking it, to look at it or to preview an edit.

    Its :func:`save` still takes the lock and refuses to overwrite a file that
    changed meanwhile; an edit that must not fail that way runs in :func:`editing`.
    """
    path = Path(path)
    with _open(path) as handle:
        return parse(_read(handle, path), path)


@contextmanager
def _locked(path: Path) -> Iterator[io.BufferedReader]:
    """The file at ``path``, open and exclusively locked (flock) until the block ends.

    Saving renames a new file over the path, so a process that was waiting on the
    old file may get its lock only to find the path names another file: it then
    locks that one instead. The lock lives on the file itself, so nothing is left
    beside it.
    """
    deadline = time.monotonic() + LOCK_WAIT_S
    while True:
        handle = _open(path)
        try:
            writable_target(path)  # refuse a device or a read-only file before any work
            _wait_for_lock(handle, path, deadline)
            if _names(path, handle):
                break
        except BaseException:
            handle.close()
            raise
        handle.close()
    with handle:  # closing it releases the lock
        yield handle


def _open(path: Path) -> io.BufferedReader:
    """The place list open for reading; a FIFO, a device or a folder is refused."""
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just after.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise EditError(f"{path}: no such file; give the path of a place list, e.g. places.yaml") from None
    except OSError as exc:
        raise EditError(f"{path}: cannot read the file ({exc.strerror})") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise EditError(f"{path}: not a regular file; give the path of a place list, e.g. places.yaml")
    return os.fdopen(fd, "rb")


def _read(handle: io.BufferedReader, path: Path) -> bytes:
    try:
        return handle.read()
    except OSError as exc:
        raise EditError(f"{path}: cannot read the file ({exc.strerror})") from None


def _wait_for_lock(handle: io.BufferedReader, path: Path, deadline: float) -> None:
    while True:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() > deadline:
                raise EditError(
                    f"{path}: another geo command has been editing the file for {LOCK_WAIT_S:g} s; "
                    "try again when it has finished"
                ) from None
            time.sleep(0.01)


def _names(path: Path, handle: io.BufferedReader) -> bool:
    """Whether ``path`` still names the file open in ``handle``."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    opened = os.fstat(handle.fileno())
    return (now.st_dev, now.st_ino) == (opened.st_dev, opened.st_ino)


def parse(data: bytes, path: Path | str = "<text>") -> Document:
    path = Path(path)
    try:
        raw = data.decode("utf-8")
    except UnicodeDecodeError:
        raise EditError(f"{path}: not a UTF-8 text file") from None
    bom = BOM if raw.startswith(BOM) else ""
    raw = raw[len(bom) :]
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw.replace("\r\n", "\n")
    places = placelist.parse(text, path)  # raises PlaceListError: edit a valid file only
    doc = _yaml().load(text)
    if not isinstance(doc["places"], CommentedSeq) or doc["places"].fa.flow_style():
        raise EditError(f"{path}: `places:` is written as a flow list [...]; write it as a block list to edit it")
    return Document(path, text, newline, bom, hashlib.sha256(data).hexdigest(), doc, places)


# --- Where an entry is in the text -------------------------------------------


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    return lines


def _is_blank(line: str) -> bool:
    return not line.strip()


def _is_comment(line: str) -> bool:
    return line.lstrip().startswith("#")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _dash_column(document: Document) -> int:
    """Column of the ``-`` that starts each entry of ``places:``."""
    line = document.entries.lc.item(0)[0]
    return _lines(document.text)[line].index("-")


def _trim_end(lines: list[str], start: int, stop: int, dash: int) -> int:
    """End (exclusive) of an entry in ``lines[start:stop]``: the blank lines and
    the comments at the entry's own column that follow it are not part of it."""
    end = stop
    while end > start + 1 and (_is_blank(lines[end - 1]) or (_is_comment(lines[end - 1]) and _indent(lines[end - 1]) <= dash)):
        end -= 1
    return end


def span(document: Document, index: int) -> tuple[int, int]:
    """0-based [start, end) line range of entry ``index`` of ``places:``."""
    entries = document.entries
    lines = _lines(document.text)
    start = entries.lc.item(index)[0]
    if index + 1 < len(entries):
        stop = entries.lc.item(index + 1)[0]
    else:
        keys = list(document.doc)
        after = keys[keys.index("places") + 1 :]
        stop = document.doc.lc.key(after[0])[0] if after else len(lines)
    return start, _trim_end(lines, start, stop, _dash_column(document))


# --- Writing one entry ---------------------------------------------------------


def dump_entry(entry: CommentedMap, dash: int) -> str:
    """The YAML text of one entry of ``places:``, its ``-`` at column ``dash``."""
    yaml = _yaml()
    yaml.indent(mapping=2, sequence=dash + 2, offset=dash)
    wrapper = CommentedMap()
    wrapper["places"] = CommentedSeq([entry])
    out = io.StringIO()
    yaml.dump(wrapper, out)
    lines = out.getvalue().splitlines(keepends=True)[1:]  # drop "places:"
    return "".join(lines[: _trim_end(lines, 0, len(lines), dash)])


def flow(values: Iterable[Any]) -> CommentedSeq:
    """A list written on one line, ``[a, b]``, as coordinates and aliases are."""
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def new_entry(fields: dict[str, Any]) -> CommentedMap:
    """A CommentedMap of ``fields`` in the usual key order; empty values left out."""
    entry = CommentedMap()
    for key in sorted(fields, key=lambda k: KEY_ORDER.index(k) if k in KEY_ORDER else len(KEY_ORDER)):
        value = fields[key]
        if value is None or value == [] or value == "":
            continue
        entry[key] = value
    return entry


def set_key(entry: CommentedMap, key: str, value: Any) -> None:
    """Set ``key``, a new key going where KEY_ORDER puts it among the others."""
    if key in entry:
        entry[key] = value
        return
    rank = KEY_ORDER.index(key) if key in KEY_ORDER else len(KEY_ORDER)
    position = len(entry)
    for i, existing in enumerate(entry):
        if existing in KEY_ORDER and KEY_ORDER.index(existing) > rank:
            position = i
            break
    entry.insert(position, key, value)


# --- The edits -------------------------------------------------------------------


def add(document: Document, fields: dict[str, Any], after: str | None = None) -> str:
    """The text with a new entry after place ``after`` (default: the last).

    Refused if the list already has a place by its name or one of its aliases.
    """
    known = document.places.by_name()
    for name in (fields["name"], *(fields.get("aliases") or ())):
        if (place := known.get(str(name).casefold())) is not None:
            which = "" if place.name == name else f" ({place.name!r})"
            raise EditError(
                f"{document.path}:{place.line}: the list already has a place called {name!r}{which}; "
                "choose another name, or change that entry"
            )
    entries = document.entries
    index = document.index(after) if after else len(entries) - 1
    lines = _lines(document.text)
    _, end = span(document, index)
    dash = _dash_column(document)
    text = dump_entry(new_entry(fields), dash)
    # Entries separated by blank lines get one before the new entry too.
    separator = "\n" if len(entries) > 1 and _is_blank(lines[span(document, 0)[1]]) else ""
    return "".join([*lines[:end], separator, text, *lines[end:]])


def update(document: Document, name: str, change: Callable[[CommentedMap], None]) -> str:
    """The text with entry ``name`` changed in place by ``change``."""
    index = document.index(name)
    entry = document.entries[index]
    _cut_tail(entry, _dash_column(document))
    change(entry)
    lines = _lines(document.text)
    start, end = span(document, index)
    return "".join([*lines[:start], dump_entry(entry, _dash_column(document)), *lines[end:]])


def _cut_tail(node: Any, dash: int) -> None:
    """Drop the blank lines and separator comments that ruamel attaches to an
    entry's last value: they lie outside the entry, and would end up inside it
    if something were appended after that value."""
    while isinstance(node, (CommentedMap, CommentedSeq)) and len(node):
        last = list(node)[-1] if isinstance(node, CommentedMap) else len(node) - 1
        for token in node.ca.items.get(last) or ():
            if isinstance(token, CommentToken):
                lines = token.value.split("\n")
                keep = 1
                for i, line in enumerate(lines[1:], start=1):
                    if _is_comment(line) and _indent(line) > dash:
                        keep = i + 1
                token.value = "\n".join(lines[:keep]) + "\n"
        node = node[last]


def remove(document: Document, name: str) -> str:
    """The text without entry ``name``, nor the comment lines right above it.

    Refused while other places, checks or ``map.focus`` refer to it.
    """
    index = document.index(name)
    place = document.places.places[index]
    names = {n.casefold() for n in (place.name, *place.aliases)}
    users = [
        p.name
        for p in document.places.places
        if p is not place and ({r.casefold() for r in p.references} | {c.of.casefold() for c in p.checks}) & names
    ]
    if any(f.casefold() in names for f in document.places.map.focus):
        users.append("map.focus")
    if users:
        raise EditError(
            f"{document.path}:{place.line}: {place.name!r} is used by {', '.join(map(repr, users))}; "
            "change or remove those first"
        )
    lines = _lines(document.text)
    start, end = span(document, index)
    dash = _dash_column(document)
    while start > 0 and _is_comment(lines[start - 1]) and _indent(lines[start - 1]) == dash:
        start -= 1  # a comment written right above the entry is about it
    if index + 1 < len(document.entries):
        while end < len(lines) and _is_blank(lines[end]):
            end += 1
    else:
        while start > 0 and _is_blank(lines[start - 1]):
            start -= 1
    return "".join([*lines[:start], *lines[end:]])


def save(document: Document, text: str) -> placelist.PlaceList:
    """Check ``text`` and write it in place of the file, if the file is unchanged.

    Inside :func:`editing` the lock is already held; otherwise it is taken for
    the comparison and the rename, so that no other geo edit falls between them.
    """
    try:
        result = placelist.parse(text, document.path)
    except PlaceListError as exc:
        raise EditError(
            f"{document.path}: edit refused, it would make the place list invalid: {exc.problem}"
            + (f"; {exc.fix}" if exc.fix else "")
        ) from None
    if document.locked:
        _replace_if_unchanged(document, text)
    else:
        with _locked(document.path):
            _replace_if_unchanged(document, text)
    return result


def _replace_if_unchanged(document: Document, text: str) -> None:
    try:
        current = document.path.read_bytes()
    except OSError:
        current = b""
    if hashlib.sha256(current).hexdigest() != document.digest:
        raise EditError(f"{document.path}: the file changed on disk since it was read; run the command again")
    write_atomic(document.path, document.bom + text.replace("\n", document.newline))


def pinnable(document: Document, name: str, replace_given: bool = False) -> placelist.Place:
    """The place called ``name``, if a gazetteer record can be pinned to it; else why not."""
    place = document.places.places[document.index(name)]
    placement = place.placement
    if isinstance(placement, (placelist.Relative, placelist.Zone)):
        raise EditError(
            f"{document.path}:{place.line}: {place.name!r} is computed from {place.references[0]!r}; nothing to pin"
        )
    given = isinstance(placement, (placelist.Point, placelist.Line, placelist.Polygon)) or (
        isinstance(placement, placelist.Area) and placement.center is not None
    )
    if given and not replace_given:
        raise EditError(f"{document.path}:{place.line}: {place.name!r} already has its coordinates in the file; "
                        "give --ref to replace them with a gazetteer record")  # fmt: skip
    return place


def pin(document: Document, name: str, match: Match, *, checked: bool = False, replace_given: bool = False,
        today: dt.date | None = None) -> str:  # fmt: skip
    """The text with the gazetteer record ``match`` written into the entry of ``name``.

    A looked-up place gets ``ref:``, so the map draws that record whatever the ranking
    does later; an area without a centre gets the record's point as ``center``. The
    record is added to ``sources`` with the date. ``checked`` marks it as checked by a
    person; ``replace_given`` lets a record replace coordinates the entry gives.
    """
    placement = pinnable(document, name, replace_given).placement

    def change(entry: CommentedMap) -> None:
        if isinstance(placement, placelist.Area) and not replace_given:
            entry["area"].insert(0, "center", _latlon(match.lat, match.lon))
        else:
            for key in ("point", "line", "polygon", "area", "ref"):
                entry.pop(key, None)
            set_key(entry, "ref", match.ref)
        if checked:
            set_key(entry, "checked", True)
        when = (today or dt.date.today()).isoformat()
        source = f"{match.source} {match.id} ({match.name}) pinned by geo on {when}"
        if "sources" in entry:
            entry["sources"].append(source)
        else:
            set_key(entry, "sources", CommentedSeq([source]))

    return update(document, name, change)


def _latlon(lat: float, lon: float) -> CommentedSeq:
    return flow([round(lat, 5), round(lon, 5)])


# --- Placing by hand ---------------------------------------------------------------

HAND_PLACED = "placed by hand on the map (geo serve --edit) on "
"""Start of the source line a move writes; the date follows. A later move replaces it."""


def check_point(lat: float, lon: float) -> None:
    """Refuse a point off the globe, in the words ``geo add --at`` uses."""
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise EditError(f"'{lat:g},{lon:g}': latitude runs from -90 to 90 and longitude from -180 to 180")


def move(document: Document, name: str, lat: float, lon: float, today: dt.date | None = None) -> str:
    """The text with place ``name`` put at (``lat``, ``lon``), given by hand.

    A point or a looked-up place gets ``point:`` (its ``ref:`` goes: the point replaces
    the record); an area keeps its size and gets the point as its centre. Notes, sources
    and everything else stay, and a source line says the point was placed by hand.
    Lines, outlines and places computed from others are refused: a point would replace
    what the file says about them.
    """
    check_point(lat, lon)
    place = document.places.places[document.index(name)]
    placement = place.placement
    if isinstance(placement, (placelist.Relative, placelist.Zone)):
        raise EditError(f"{document.path}:{place.line}: {place.name!r} is computed from {place.references[0]!r}; "
                        "change its distance and bearing in the file, or remove it and add a point")  # fmt: skip
    if isinstance(placement, (placelist.Line, placelist.Polygon)):
        raise EditError(f"{document.path}:{place.line}: {place.name!r} is drawn from the vertices the file gives; "
                        "change them in the file")  # fmt: skip

    def change(entry: CommentedMap) -> None:
        if isinstance(placement, placelist.Area):
            area = entry["area"]
            if "center" in area:
                area["center"] = _latlon(lat, lon)
            else:
                area.insert(0, "center", _latlon(lat, lon))
            entry.pop("ref", None)
        else:
            entry.pop("ref", None)
            set_key(entry, "point", _latlon(lat, lon))
        source = HAND_PLACED + (today or dt.date.today()).isoformat()
        if "sources" not in entry:
            set_key(entry, "sources", CommentedSeq([source]))
            return
        sources = entry["sources"]
        for i in reversed(range(len(sources))):
            if str(sources[i]).startswith(HAND_PLACED):
                del sources[i]
        sources.append(source)

    return update(document, name, change)


# --- Whole edits, as the commands and `geo serve --edit` make them -----------------


@dataclass(frozen=True)
class Change:
    """One edit as it was saved: what it did, and the file's text before and after it (for undo)."""

    path: Path
    name: str
    """The place it changed."""
    summary: str
    """What it did, in a few words: "moved 'Raqqa'"."""
    before: str
    after: str
    places: placelist.PlaceList
    """The list as saved."""


def _apply(path: Path | str, name: str, summary: str, make: Callable[[Document], str]) -> Change:
    """Make one edit of the file at ``path`` under its lock, and say what it did."""
    with editing(path) as document:
        text = make(document)
        saved = save(document, text)
    return Change(Path(path), name, summary, document.text, text, saved)


def add_place(path: Path | str, fields: dict[str, Any], after: str | None = None) -> Change:
    """``geo add``: a new entry with ``fields`` (after place ``after``, default the last)."""
    point = fields.get("point")
    if point is not None:
        check_point(*point)
    return _apply(path, fields["name"], f"added {fields['name']!r}", lambda document: add(document, fields, after))


def remove_place(path: Path | str, name: str) -> Change:
    """``geo rm``: entry ``name`` goes, unless other places refer to it."""
    with editing(path) as document:
        place = document.places.places[document.index(name)]
        text = remove(document, name)
        saved = save(document, text)
    return Change(Path(path), place.name, f"removed {place.name!r}", document.text, text, saved)


def move_place(path: Path | str, name: str, lat: float, lon: float, today: dt.date | None = None) -> Change:
    """Place ``name`` at a point given by hand (see :func:`move`)."""
    with editing(path) as document:
        place = document.places.places[document.index(name)]
        text = move(document, place.name, lat, lon, today)
        saved = save(document, text)
    return Change(Path(path), place.name, f"moved {place.name!r} to {lat:.5f}, {lon:.5f}", document.text, text, saved)


@dataclass(frozen=True)
class Pinned:
    change: Change
    match: Match
    confidence: float


def pin_place(path: Path | str, name: str, *, ref: str | None, checked: bool, record: Callable[[str], Match | None],
              resolved: Callable[[str], tuple[Match | None, float, str]]) -> Pinned:  # fmt: skip
    """``geo pin``: write the record of ``name`` as its ``ref:``.

    The record is ``ref`` when given (looked up by ``record``), else the one the place
    resolves to now (``resolved(name)``: the match, its confidence, and if none, why).
    A record given by reference, or ``checked``, marks the place as checked by a person.
    """
    with editing(path) as document:
        place = pinnable(document, name, replace_given=ref is not None)
        if ref is not None:
            match = record(ref)
            if match is None:
                raise EditError(f"--ref {ref!r}: no gazetteer has this record; `geo resolve {place.name!r} "
                                "--candidates 5` lists the records of the name")  # fmt: skip
            confidence = 1.0
        else:
            found, confidence, problem = resolved(place.name)
            if found is None:
                raise EditError(f"{document.path}:{place.line}: {place.name!r} cannot be placed, so nothing to pin: {problem}")
            match = found
        sure = checked or ref is not None
        text = pin(document, place.name, match, checked=sure, replace_given=ref is not None)
        saved = save(document, text)
    what = f"pinned {place.name!r} to {match.ref}" + (" (checked)" if sure else "")
    return Pinned(Change(Path(path), place.name, what, document.text, text, saved), match, confidence)


# --- Undo ----------------------------------------------------------------------------

UNDO_CONTEXT_LINES = 3
"""Unchanged lines on each side of an edit that find it again in a file edited since."""


def undo(change: Change) -> Change:
    """Put back the lines ``change`` replaced, byte for byte, and nothing else.

    The file may have been edited elsewhere since (another place, by hand or by
    geo): the changed lines are found again by the lines around them. If they
    themselves changed since, the undo is refused rather than guessed.
    """
    with editing(change.path) as document:
        text = revert(document.text, change)
        saved = save(document, text)
    return Change(change.path, change.name, f"undid: {change.summary}", document.text, text, saved)


def revert(current: str, change: Change) -> str:
    """``current`` with the lines ``change`` wrote replaced by those it replaced."""
    if current == change.after:
        return change.before
    before, after, now = _lines(change.before), _lines(change.after), _lines(current)
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    end = 0  # lines in common at the end, not overlapping the start
    while end < min(len(before), len(after)) - start and before[-1 - end] == after[-1 - end]:
        end += 1
    old, new = before[start : len(before) - end], after[start : len(after) - end]
    head = after[max(0, start - UNDO_CONTEXT_LINES) : start]
    tail = after[len(after) - end : len(after) - end + UNDO_CONTEXT_LINES]
    block = [*head, *new, *tail]
    found = [i for i in range(len(now) - len(block) + 1) if now[i : i + len(block)] == block]
    if not found:
        raise EditError(f"{change.path}: the lines of {change.name!r} changed since it was {change.summary.split()[0]}; "
                        "nothing was undone; change them in the file")  # fmt: skip
    at = min(found, key=lambda i: abs(i - (start - len(head)))) + len(head)
    return "".join([*now[:at], *old, *now[at + len(new) :]])
