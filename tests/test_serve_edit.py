"""``geo serve --edit`` over HTTP: real ``geo serve`` processes on 127.0.0.1 editing a copy of the
Raqqa list; what a forged request, a bad value or two editors at once do to the file."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from gazetteer_fixture import use_test_index
from test_serve_http import Served, wait_for

from geo import placelist
from geo.cli.edit_api import MAX_BODY_BYTES

ROOT = Path(__file__).resolve().parents[1]
HAND = re.compile(r"      - placed by hand on the map \(geo serve --edit\) on \d{4}-\d\d-\d\d\n")


@pytest.fixture(scope="module", autouse=True)
def gazetteer_index() -> None:
    use_test_index()


class Editor(Served):
    """``geo serve --edit`` on a free port, with the token it printed."""

    def __init__(self, places: Path) -> None:
        super().__init__(places, "--edit")
        self.places_path = places
        found = self.wait_for_line(rf"geo: serving .* for editing at http://127\.0\.0\.1:{self.port}/#token=(\S+) ")
        self.token = found.group(1)

    def call(self, method: str, path: str, body: Any = None, *, token: str | None = "", host: str | None = None,
             headers: dict[str, str] | None = None, raw: bytes | None = None) -> tuple[int, dict[str, Any]]:  # fmt: skip
        """One request: the session's token unless another (None: none) is given; status and JSON body."""
        sent = {"Host": host or f"127.0.0.1:{self.port}", **(headers or {})}
        if token is not None:
            sent["X-Geo-Token"] = token or self.token
        data = raw if raw is not None else None if body is None else json.dumps(body).encode()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request(method, path, body=data, headers=sent)
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()


@pytest.fixture(scope="module")
def original() -> bytes:
    return (ROOT / "places.yaml").read_bytes()


@pytest.fixture(scope="module")
def editor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editor]:
    path = tmp_path_factory.mktemp("edit") / "places.yaml"
    shutil.copy(ROOT / "places.yaml", path)
    server = Editor(path)
    yield server
    stderr = server.stop()
    assert "Traceback" not in stderr, stderr


@pytest.fixture
def places(editor: Editor, original: bytes) -> Path:
    """The served copy of the Raqqa list, as the project has it, and nothing to undo."""
    while editor.call("POST", "/api/undo")[0] == 200:
        pass
    editor.places_path.write_bytes(original)
    return editor.places_path


def entry(text: str, name: str) -> tuple[int, int]:
    """Start and end of the entry ``name`` in the Raqqa list: its ``- name:`` line up to the blank line after it."""
    start = text.index(f"  - name: {name}\n")
    return start, text.index("\n\n", start) + 1


def only_entry_changed(before: str, after: str, name: str) -> str:
    """The entry's new text, after checking that every byte outside it is as it was."""
    start, end = entry(before, name)
    new_start, new_end = entry(after, name)
    assert after[:new_start] == before[:start]
    assert after[new_end:] == before[end:]
    return after[new_start:new_end]


def test_a_patch_with_the_token_moves_the_place_and_changes_only_its_entry(editor: Editor, places: Path) -> None:
    before = places.read_text()
    status, reply = editor.call("PATCH", "/api/places/Heraqla", {"point": [35.9612, 38.9401]})
    assert status == 200, reply
    assert reply["message"] == f"geo: moved 'Heraqla' to 35.96120, 38.94010 in {places}"
    start, end = entry(before, "Heraqla")
    old = before[start:end]
    new = only_entry_changed(before, places.read_text(), "Heraqla")
    assert "    point: [35.9612, 38.9401]\n" in new and "[35.95689, 38.93306]" not in new
    # Notes, checks and sources kept, one source line added saying the point was placed by hand.
    assert HAND.sub("", new).replace("[35.9612, 38.9401]", "[35.95689, 38.93306]") == old
    assert len(HAND.findall(new)) == 1


def test_moving_a_looked_up_place_writes_its_point_in_place_of_the_look_up(editor: Editor, places: Path) -> None:
    before = places.read_text()
    assert editor.call("PATCH", "/api/places/al-Mawsil", {"point": [36.34, 43.13]})[0] == 200  # by an alias too
    new = only_entry_changed(before, places.read_text(), "Mosul")
    assert "    country: IQ\n    point: [36.34, 43.13]\n    notes: >\n" in new
    assert HAND.search(new) and "GeoNames 99072 (found by the gazetteer)" in new
    # Moved again: still one hand-placed line.
    assert editor.call("PATCH", "/api/places/Mosul", {"point": [36.35, 43.14]})[0] == 200
    assert len(HAND.findall(places.read_text())) == 1


def test_the_map_reloads_from_the_file_after_a_change(editor: Editor, places: Path) -> None:
    assert editor.call("PATCH", "/api/places/Ayn%20Issa", {"point": [36.4, 38.8]})[0] == 200
    rebuilt = wait_for(lambda: "36.4000, 38.8000" in http_get(editor.port, "/"), timeout=60)
    assert rebuilt, "the page was not rebuilt from the file"


def http_get(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        return connection.getresponse().read().decode()
    finally:
        connection.close()


FORGED = {
    "no token": {"token": None},
    "a wrong token": {"token": "guessed"},
    "a foreign Origin": {"headers": {"Origin": "http://evil.example"}},
    "Origin null": {"headers": {"Origin": "null"}},
    "another port's Origin": {"headers": {"Origin": "http://127.0.0.1:1"}},
    "a foreign Host": {"host": "evil.example"},
    "a foreign Host with the port": {"host": "evil.example:{port}"},
}
WRITES = [
    ("PATCH", "/api/places/Heraqla", {"point": [35.9, 38.9]}),
    ("PATCH", "/api/places/Mosul", {"checked": True}),
    ("POST", "/api/places", {"name": "Forged", "kind": "town", "point": [35.9, 38.9]}),
    ("DELETE", "/api/places/Ayn%20Issa", None),
    ("POST", "/api/undo", None),
]


@pytest.mark.parametrize("forgery", FORGED, ids=list(FORGED))
def test_a_forged_request_is_refused_and_changes_nothing(editor: Editor, places: Path, original: bytes, forgery: str) -> None:
    options = dict(FORGED[forgery])
    if "host" in options:
        options["host"] = str(options["host"]).format(port=editor.port)
    assert editor.call("PATCH", "/api/places/Heraqla", {"point": [35.96, 38.94]})[0] == 200  # something to undo
    moved = places.read_bytes()
    for method, path, body in [*WRITES, ("GET", "/api/places/Mosul/candidates", None)]:
        status, reply = editor.call(method, path, body, **options)
        assert status == 403, (method, path, reply)
        assert places.read_bytes() == moved, (method, path)
    assert editor.call("POST", "/api/undo")[0] == 200  # the refused undo did not take the session's change
    assert places.read_bytes() == original


def test_the_page_s_own_origin_may_edit(editor: Editor, places: Path) -> None:
    for origin in (f"http://127.0.0.1:{editor.port}", f"http://localhost:{editor.port}"):
        host = origin.removeprefix("http://")
        status, reply = editor.call("PATCH", "/api/places/Heraqla", {"point": [35.96, 38.94]}, host=host,
                                    headers={"Origin": origin})  # fmt: skip
        assert status == 200, reply


@pytest.mark.parametrize(
    ("method", "path", "body", "message"),
    [
        ("PATCH", "/api/places/Heraqla", {"point": [95, 38.9]},
         "geo: error: '95,38.9': latitude runs from -90 to 90 and longitude from -180 to 180"),
        ("PATCH", "/api/places/Heraqla", {"point": [35, 200]},
         "geo: error: '35,200': latitude runs from -90 to 90 and longitude from -180 to 180"),
        ("PATCH", "/api/places/Heraqla", {"point": "35.9,38.9"},
         'geo: error: point "35.9,38.9": write it as [LAT, LON] in decimal degrees, e.g. [35.95, 39.01]'),
        ("PATCH", "/api/places/Mosul", {"ref": "geonames:1"},
         ("geo: error: --ref 'geonames:1': no gazetteer has this record; `geo resolve 'Mosul' --candidates 5` "
         "lists the records of the name")),
        ("PATCH", "/api/places/Mosul", {"ref": "geonames:1", "checked": True},
         'geo: error: give one change: {"point": [lat, lon]}, {"ref": "source:id"} or {"checked": true}'),
        ("PATCH", "/api/places/Heraqla", {"colour": "red"},
         "geo: error: unknown key 'colour'; the keys are checked, point, ref"),
        ("PATCH", "/api/places/Hazima", {"point": [36.1, 39.0]},
         ("geo: error: {places}:128: 'Hazima' is computed from 'Raqqa'; change its distance and bearing in the "
         "file, or remove it and add a point")),
        ("PATCH", "/api/places/Nowhere", {"point": [36.1, 39.0]},
         "geo: error: {places}: no place called 'Nowhere'; `geo check` lists the places"),
        ("POST", "/api/places", {"name": "Raqa", "point": [36.1, 39.0]},
         ("geo: error: {places}:35: the list already has a place called 'Raqa' ('Raqqa'); choose another name, or "
         "change that entry")),
        ("POST", "/api/places", {"kind": "town", "point": [36.1, 39.0]}, "geo: error: a new place needs a name"),
        ("DELETE", "/api/places/Raqqa", None,
         ("geo: error: {places}:35: 'Raqqa' is used by 'Heraqla', 'Division 17 base', 'Hazima', 'map.focus'; "
         "change or remove those first")),
    ],
    ids=["latitude 95", "longitude 200", "point as text", "unknown ref", "two changes", "unknown key",
         "a relative place", "unknown place", "a name in use", "no name", "remove a place others use"],
)  # fmt: skip
def test_an_invalid_value_gets_a_one_line_400_and_the_file_stays(
    editor: Editor, places: Path, original: bytes, method: str, path: str, body: Any, message: str
) -> None:
    status, reply = editor.call(method, path, body)
    assert status == 400
    assert reply == {"error": message.replace("{places}", str(places))}
    assert places.read_bytes() == original


@pytest.mark.parametrize(
    ("raw", "message"),
    [(b"{not json", ("geo: error: the request is not JSON (Expecting property name enclosed in double quotes: "
                    "line 1 column 2 (char 1)); send a JSON object")),
     (b"[35.9, 38.9]", 'geo: error: the request is not a JSON object; send e.g. {"point": [35.95, 39.01]}'),
     (b"{}" + b" " * MAX_BODY_BYTES, (f"geo: error: the request is {MAX_BODY_BYTES + 2} bytes; an edit takes at most "
                                     f"{MAX_BODY_BYTES}")),
     (b"[" * 5000 + b"]" * 5000, "geo: error: the request is nested too deeply; send a flat JSON object")],
    ids=["bad JSON", "not an object", "oversized", "nested 5000 deep"],
)  # fmt: skip
def test_a_malformed_request_gets_a_one_line_400(editor: Editor, places: Path, original: bytes, raw: bytes, message: str) -> None:
    status, reply = editor.call("PATCH", "/api/places/Heraqla", raw=raw)
    assert (status, reply) == (400, {"error": message})
    assert places.read_bytes() == original


def test_candidates_carry_what_a_reviewer_chooses_by(editor: Editor, places: Path) -> None:
    status, reply = editor.call("GET", "/api/places/Washington/candidates")
    assert status == 200
    candidates = reply["candidates"]
    assert reply["current"] == candidates[0]["ref"] and candidates[0]["current"] and candidates[0]["distanceKm"] == 0
    assert (candidates[0]["name"], candidates[0]["country"], candidates[0]["kind"]) == ("Washington", "US", "capital")
    assert len(candidates) > 1 and not any(c["current"] for c in candidates[1:])
    for candidate in candidates:
        assert set(candidate) >= {"name", "country", "kind", "confidence", "distanceKm", "ref"}
        assert 0 <= candidate["confidence"] <= 1
    assert all(c["distanceKm"] > 100 for c in candidates[1:])

    other = next(c for c in candidates[1:] if c["ref"].startswith("geonames:"))
    before = places.read_text()
    status, reply = editor.call("PATCH", "/api/places/Washington", {"ref": other["ref"]})
    assert status == 200, reply
    new = places.read_text()
    start = before.index("  - name: Washington\n")
    assert new[:start] == before[:start]  # the last entry: everything before it unchanged
    assert f"    ref: {other['ref']}\n    checked: true\n" in new[start:]


def test_mark_checked_pins_the_gazetteer_s_record(editor: Editor, places: Path) -> None:
    before = places.read_text()
    status, reply = editor.call("PATCH", "/api/places/Mosul", {"checked": True})
    assert status == 200, reply
    new = only_entry_changed(before, places.read_text(), "Mosul")
    assert "    ref: geonames:99072\n    checked: true\n" in new


def test_remove_then_undo_gives_back_the_bytes(editor: Editor, places: Path, original: bytes) -> None:
    status, reply = editor.call("DELETE", "/api/places/Ayn%20Issa")
    assert status == 200, reply
    assert "Ayn Issa" not in places.read_text()
    assert editor.call("POST", "/api/undo")[0] == 200
    assert places.read_bytes() == original


def test_undo_takes_back_each_change_from_the_page_and_keeps_others(editor: Editor, places: Path, original: bytes) -> None:
    changes = [
        ("PATCH", "/api/places/Heraqla", {"point": [35.96, 38.94]}),
        ("POST", "/api/places", {"name": "Tabqa", "kind": "town", "point": [35.837, 38.548]}),
        ("PATCH", "/api/places/Mosul", {"checked": True}),
        ("DELETE", "/api/places/Tabqa", None),
        ("DELETE", "/api/places/Ayn%20Issa", None),
    ]
    texts = [places.read_text()]
    for method, path, body in changes:
        status, reply = editor.call(method, path, body)
        assert status in (200, 201), reply
        texts.append(places.read_text())
    # Meanwhile someone edits the file by hand, away from these entries.
    by_hand = "\n# A comment saved by a text editor.\n"
    places.write_text(places.read_text() + by_hand)
    for text in reversed(texts[:-1]):
        status, reply = editor.call("POST", "/api/undo")
        assert status == 200, reply
        assert places.read_text() == text + by_hand
    status, reply = editor.call("POST", "/api/undo")
    assert status == 400 and reply["error"].startswith("geo: error: nothing to undo")
    assert places.read_bytes() == original + by_hand.encode()


def test_undo_of_a_change_edited_since_is_refused(editor: Editor, places: Path) -> None:
    assert editor.call("PATCH", "/api/places/Heraqla", {"point": [35.96, 38.94]})[0] == 200
    edited = places.read_text().replace("[35.96, 38.94]", "[35.97, 38.95]")
    places.write_text(edited)
    status, reply = editor.call("POST", "/api/undo")
    assert status == 400
    assert reply["error"] == (f"geo: error: {places}: the lines of 'Heraqla' changed since it was moved; "
                              "nothing was undone; change them in the file")  # fmt: skip
    assert places.read_text() == edited
    status, reply = editor.call("POST", "/api/undo")  # the refused change is not tried again
    assert status == 400 and reply["error"].startswith("geo: error: nothing to undo")


def test_two_editors_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    shutil.copy(ROOT / "places.yaml", path)
    editors = [Editor(path), Editor(path)]
    replies: list[tuple[int, dict[str, Any]]] = []
    moves = {"Heraqla": [35.96, 38.94], "Ayn Issa": [36.39, 38.87], "Al-Tanaf garrison": [33.51, 38.62],
             "At Tanf border crossing": [33.44, 38.84]}  # fmt: skip

    def work(i: int) -> None:
        editor = editors[i % 2]
        for j in range(4):
            replies.append(editor.call("POST", "/api/places", {"name": f"Editor {i} place {j}", "point": [35 + i / 10, 39]}))
        name = list(moves)[i]
        replies.append(editor.call("PATCH", "/api/places/" + name.replace(" ", "%20"), {"point": moves[name]}))

    try:
        threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=300)
    finally:
        for editor in editors:
            editor.stop()
    assert sorted(status for status, _ in replies) == [200] * 4 + [201] * 16, replies
    saved = placelist.load(path)
    names = {place.name for place in saved.places}
    assert {f"Editor {i} place {j}" for i in range(4) for j in range(4)} <= names
    for name, point in moves.items():
        assert next(p for p in saved.places if p.name == name).placement == placelist.Point(tuple(point))
    original = (ROOT / "places.yaml").read_text()
    assert [line for line in path.read_text().splitlines() if line.lstrip().startswith("#")] == [
        line for line in original.splitlines() if line.lstrip().startswith("#")
    ]


def test_without_edit_there_is_no_api_and_no_token(tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    shutil.copy(ROOT / "places.yaml", path)
    before = path.read_bytes()
    server = Served(path)
    try:
        assert "#token=" not in server.stderr
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
        connection.request("PATCH", "/api/places/Heraqla", body=b'{"point": [1, 2]}', headers={"X-Geo-Token": "x"})
        assert connection.getresponse().status == 404
        connection.close()
        assert "geo-edit" not in http_get(server.port, "/")
    finally:
        server.stop()
    assert path.read_bytes() == before


def test_the_page_may_drag_points_and_discs_but_not_outlines_lines_or_computed_places(editor: Editor, places: Path) -> None:
    status, reply = editor.call("GET", "/api/places")
    assert status == 200
    movable = {p["name"]: p["movable"] for p in reply["places"]}
    assert [name for name, can in movable.items() if can] == [
        "Raqqa", "Al-Meshleb", "Heraqla", "Ayn Issa", "Mosul", "Mosul Old City", "Al-Tanaf garrison",
        "At Tanf border crossing", "Iraq–Jordan–Syria tripoint", "Washington",
    ]  # fmt: skip
    assert not movable["Syria"] and not movable["Euphrates"] and not movable["Hazima"]
    assert "town" in reply["kinds"] and reply["undo"] == {"count": 0, "last": None}


def test_the_served_page_carries_the_tools_but_never_the_token(editor: Editor, places: Path) -> None:
    page = http_get(editor.port, "/")
    assert "function geoEdit()" in page and "geoStory(" in page
    assert editor.token not in page


def test_moving_an_area_moves_its_centre_and_keeps_its_size(editor: Editor, places: Path) -> None:
    before = places.read_text()
    assert editor.call("PATCH", "/api/places/Raqqa", {"point": [35.951, 39.01]})[0] == 200
    new = only_entry_changed(before, places.read_text(), "Raqqa")
    assert "    area:\n      center: [35.951, 39.01]\n      km2: 35\n" in new and "point:" not in new
    assert HAND.search(new)
