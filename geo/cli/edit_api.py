"""The editing API of ``geo serve --edit``: the map page changes the place list through it.

Every change goes through :mod:`geo.edit`, the code of ``geo add``, ``geo pin`` and
``geo rm``: only the entry's lines change, under the file's lock, atomically. The
server then sees the file change and rebuilds the map, as after any save.

Only the page the server gave out may use it. Every request must carry the session's
secret token (``X-Geo-Token``), printed with the address in its fragment (``#token=``,
which browsers never send), and may carry no ``Origin`` but the server's own; the
server itself already answers loopback ``Host`` names only. A web page elsewhere can
neither read the token nor send a request the server accepts.

    GET    /api/places                     the places' names, which can be moved, kinds, undo
    POST   /api/places                     add: {"name", "kind", "point": [lat, lon], "layer"}
    PATCH  /api/places/<name>              {"point": [lat, lon]} | {"ref": "source:id"} | {"checked": true}
    DELETE /api/places/<name>              remove (refused while others refer to it)
    GET    /api/places/<name>/candidates   the records the name may mean
    POST   /api/undo                       undo the session's last change
"""

from __future__ import annotations

import hmac
import json
import math
import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from geo import edit, geometry, online, placelist, style
from geo.cli import describe
from geo.errors import GeoError

if TYPE_CHECKING:
    from geo.api import Story
    from geo.gazetteer import Match

TOKEN_HEADER = "X-Geo-Token"
MAX_BODY_BYTES = 64 * 1024
"""A request body larger than this is refused unread: an edit needs a few hundred bytes."""
UNDO_DEPTH = 200
"""Changes of the session kept for undo; the oldest go first."""
CANDIDATES = 5
"""Records listed for a name: the map's pick and the others it ranked, then what the gazetteer finds."""
PLACE_KEYS = {"name", "kind", "point", "layer"}
PATCH_KEYS = {"point", "ref", "checked"}


class BadRequest(GeoError):
    """A request the API cannot take: its message is the one line sent back with 400."""


@dataclass(frozen=True)
class Reply:
    status: int
    body: dict[str, Any]


def error_line(exc: BaseException) -> str:
    """The line the command line would print for ``exc``."""
    return f"geo: {describe(exc, rerun='rerun `geo --debug serve --edit`')}"


@dataclass
class EditSession:
    """The editing side of one ``geo serve --edit``: its token, its undo history, its routes."""

    places: Path
    settings: online.Settings
    story: Callable[[], Story | None]
    """The last good build of the map (candidates are those it ranked)."""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    _undo: list[edit.Change] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # --- Who may ask --------------------------------------------------------------

    def refusal(self, headers: Mapping[str, str]) -> str | None:
        """Why a request must be refused (403), or None. The ``Host`` is checked before."""
        token = headers.get(TOKEN_HEADER) or ""
        if not hmac.compare_digest(token.encode("utf-8", "replace"), self.token.encode()):
            return f"geo: error: this request lacks the {TOKEN_HEADER} of the page `geo serve --edit` printed; nothing was changed"
        origin = headers.get("Origin")
        if origin is not None and origin.casefold() != f"http://{headers.get('Host', '')}".casefold():
            return f"geo: error: requests from {origin} may not edit this map; nothing was changed"
        return None

    # --- Routes ---------------------------------------------------------------------

    def handle(self, method: str, target: str, body: bytes) -> Reply:
        """Answer one API request; a GeoError becomes a 400 with its one line, the file unchanged."""
        parts = [unquote(part) for part in urlsplit(target).path.split("/")[2:]]
        try:
            if parts == ["places"] and method == "GET":
                return self.overview()
            if parts == ["places"] and method == "POST":
                return self.add(_fields(body, PLACE_KEYS))
            if len(parts) == 2 and parts[0] == "places" and method == "PATCH":
                return self.patch(parts[1], _fields(body, PATCH_KEYS))
            if len(parts) == 2 and parts[0] == "places" and method == "DELETE":
                return self.record(edit.remove_place(self.places, parts[1]))
            if len(parts) == 3 and parts[0] == "places" and parts[2] == "candidates" and method == "GET":
                return self.candidates(parts[1])
            if parts == ["undo"] and method == "POST":
                return self.undo()
        except GeoError as exc:
            return Reply(400, {"error": error_line(exc)})
        return Reply(404, {"error": f"geo: error: no such API request: {method} {urlsplit(target).path}"})

    def overview(self) -> Reply:
        """What the page needs to offer its tools: which places a drag may move, the kinds, the undo."""
        place_list = placelist.load(self.places)
        story = self.story()
        outlined = {r.place.name for r in story.resolution.resolved if r.outlined} if story is not None else set()
        with self._lock:
            last = self._undo[-1].summary if self._undo else None
            count = len(self._undo)
        return Reply(200, {
            "places": [{"name": p.name, "movable": _movable(p, outlined)} for p in place_list.places],
            "kinds": sorted(style.table()["kinds"]),
            "undo": {"count": count, "last": last},
        })  # fmt: skip

    def add(self, fields: dict[str, Any]) -> Reply:
        name = fields.get("name")
        if not isinstance(name, str) or not name.strip():
            raise BadRequest("a new place needs a name")
        entry: dict[str, Any] = {"name": name.strip()}
        for key in ("kind", "layer"):
            value = fields.get(key)
            if value is not None and not isinstance(value, str):
                raise BadRequest(f"{key}: give it as text, e.g. \"town\"")
            entry[key] = value or None
        if fields.get("point") is not None:
            entry["point"] = edit.flow(_point(fields["point"]))
        return self.record(edit.add_place(self.places, entry), status=201)

    def patch(self, name: str, fields: dict[str, Any]) -> Reply:
        if len(fields) != 1:
            raise BadRequest('give one change: {"point": [lat, lon]}, {"ref": "source:id"} or {"checked": true}')
        ((key, value),) = fields.items()
        if key == "point":
            lat, lon = _point(value)
            return self.record(edit.move_place(self.places, name, lat, lon))
        if key == "ref" and not isinstance(value, str):
            raise BadRequest('ref: give a gazetteer record as text, e.g. "geonames:172955"')
        if key == "checked" and value is not True:
            raise BadRequest('checked: only {"checked": true} can be asked; a checked place is unmarked in the file')
        from geo.cli.pin import pin

        pinned = pin(self.places, name, value if key == "ref" else None, key == "checked", self.settings)
        return self.record(pinned.change)

    def candidates(self, name: str) -> Reply:
        """The records ``name`` may mean: the map's pick and the others it ranked, each with its distance."""
        document = edit.read(self.places)
        found = document.places.places[document.index(name)]
        story = self.story()
        resolved = story.resolution.by_name().get(found.name) if story is not None else None
        anchor = resolved.anchor if resolved is not None else None
        current = resolved.match.ref if resolved is not None and resolved.match is not None else None
        ranked = [resolved.match, *resolved.alternatives] if resolved is not None and resolved.match is not None else []
        from geo.cli.options import gazetteer

        country = found.country or document.places.country
        near = (anchor,) if anchor is not None else ()
        more = gazetteer(self.places, self.settings).lookup(found.name, country=country, near=near, candidates=CANDIDATES)
        seen = {match.ref for match in ranked}
        records = [*ranked, *(match for match in more if match.ref not in seen)]
        return Reply(200, {
            "name": found.name,
            "current": current,
            "candidates": [_candidate(match, anchor, current) for match in records[: max(len(ranked), CANDIDATES)]],
        })  # fmt: skip

    def undo(self) -> Reply:
        with self._lock:
            if not self._undo:
                raise BadRequest("nothing to undo: no change was made from this page since `geo serve --edit` started")
            change = edit.undo(self._undo.pop())  # refused, it is dropped: the next undo goes one further back
            left = len(self._undo)
        return Reply(200, {"message": f"geo: {change.summary} in {self.places}", "name": change.name, "undo": left})

    def record(self, change: edit.Change, status: int = 200) -> Reply:
        """Keep ``change`` for undo and say what it did."""
        with self._lock:
            self._undo.append(change)
            del self._undo[:-UNDO_DEPTH]
            left = len(self._undo)
        return Reply(status, {"message": f"geo: {change.summary} in {self.places}", "name": change.name, "undo": left})


def _movable(place: placelist.Place, outlined: set[str]) -> bool:
    """Whether a drag may give the place a point: not when it is drawn as a line, an outline or from another place."""
    if isinstance(place.placement, (placelist.Point, placelist.Area)):
        return True
    return isinstance(place.placement, (placelist.Lookup, placelist.Ref)) and place.name not in outlined


def _candidate(match: Match, anchor: tuple[float, float] | None, current: str | None) -> dict[str, Any]:
    distance = geometry.distance_km(anchor, (match.lat, match.lon)) if anchor is not None else None
    return {
        "name": match.name, "country": match.country, "kind": match.kind, "confidence": round(match.confidence, 2),
        "distanceKm": None if distance is None else round(distance, 1), "ref": match.ref,
        "lat": match.lat, "lon": match.lon, "current": match.ref == current,
    }  # fmt: skip


def _fields(body: bytes, allowed: set[str]) -> dict[str, Any]:
    """The request's JSON object, with only keys of ``allowed``."""
    try:
        value = json.loads(body.decode("utf-8")) if body.strip() else None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(f"the request is not JSON ({exc}); send a JSON object") from None
    except RecursionError:  # an edit is a flat object: deep nesting is an attack, not a mistake
        raise BadRequest("the request is nested too deeply; send a flat JSON object") from None
    if not isinstance(value, dict):
        raise BadRequest("the request is not a JSON object; send e.g. {\"point\": [35.95, 39.01]}")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise BadRequest(f"unknown key {unknown[0]!r}; the keys are {', '.join(sorted(allowed))}")
    return value


def _point(value: Any) -> tuple[float, float]:
    """``[lat, lon]`` as two numbers on the globe, refused in the words of ``geo add --at``."""
    numbers = isinstance(value, list) and len(value) == 2 and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in value
    )  # fmt: skip
    if not numbers:
        raise BadRequest(f"point {json.dumps(value)[:40]}: write it as [LAT, LON] in decimal degrees, e.g. [35.95, 39.01]")
    lat, lon = float(value[0]), float(value[1])
    edit.check_point(lat, lon)
    return lat, lon


def read_body(headers: Mapping[str, str], read: Callable[[int], bytes]) -> bytes:
    """The request body, refused when its length is unknown or over :data:`MAX_BODY_BYTES`."""
    if headers.get("Transfer-Encoding"):
        raise BadRequest("send the request with a Content-Length, not chunked")
    try:
        length = int(headers.get("Content-Length") or 0)
    except ValueError:
        raise BadRequest("Content-Length is not a number") from None
    if length < 0 or length > MAX_BODY_BYTES:
        raise BadRequest(f"the request is {length} bytes; an edit takes at most {MAX_BODY_BYTES}")
    return read(length) if length else b""
