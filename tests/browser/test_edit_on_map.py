"""``geo serve --edit`` in a real browser on a copy of the Raqqa list: drag a marker, pick another
record, add, remove and undo, each time reading the file as the server wrote it."""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ServedMapOpener
from gazetteer_fixture import use_test_index
from playwright.sync_api import Page

from geo import placelist
from geo.cli.serve import MapServer

ROOT = Path(__file__).resolve().parents[2]
RELOAD_MS = 60_000
"""The write, the rebuild from the file and the page's reload."""


@pytest.fixture
def editing(tmp_path: Path) -> Iterator[tuple[MapServer, Path]]:
    use_test_index()
    places = tmp_path / "places.yaml"
    shutil.copy(ROOT / "places.yaml", places)
    server = MapServer(places, port=0, edit=True)
    server.start()
    yield server, places
    server.stop()


def ready(page: Page) -> Page:
    """Wait until the map is drawn and the editing tools have hooked its places."""
    page.wait_for_function("window.geoStory && geoStory.ready")
    page.wait_for_selector(".geo-map[data-geo-edit=ready]")
    return page


@contextmanager
def reloaded(page: Page) -> Iterator[None]:
    """Expect the block to change the file, after which the page reloads with the map rebuilt from it."""
    page.evaluate("window.geoOldPage = true")
    yield
    page.wait_for_function(
        "!window.geoOldPage && window.geoStory && geoStory.ready && document.querySelector('.geo-map[data-geo-edit=ready]')",
        timeout=RELOAD_MS,
    )


MARKER = """const placeMarker = name => {
  let found = null;
  geoStory.groups.forEach(g => g.eachLayer(l => { if (l.geoPlace && l.geoPlace.name === name && l.getLatLng) { found = l; } }));
  return found;
};"""


def marker_at(page: Page, name: str, zoom: int | None = None) -> tuple[float, float]:
    """The page coordinates of the marker of ``name`` (after centring the map on it at ``zoom``)."""
    return tuple(page.evaluate(
        """([name, zoom]) => {""" + MARKER + """
          const marker = placeMarker(name);
          if (zoom !== null) { geoStory.map.setView(marker.getLatLng(), zoom, {animate: false}); }
          const p = geoStory.map.latLngToContainerPoint(marker.getLatLng());
          const box = geoStory.map.getContainer().getBoundingClientRect();
          return [box.left + p.x, box.top + p.y];
        }""",
        [name, zoom],
    ))  # fmt: skip


def lat_lon_at(page: Page, x: float, y: float) -> tuple[float, float]:
    return tuple(page.evaluate(
        """([x, y]) => {
          const box = geoStory.map.getContainer().getBoundingClientRect();
          const at = geoStory.map.containerPointToLatLng([x - box.left, y - box.top]);
          return [at.lat, at.lng];
        }""",
        [x, y],
    ))  # fmt: skip


def entry(text: str, name: str) -> tuple[int, int]:
    start = text.index(f"  - name: {name}\n")
    end = text.find("\n\n", start)
    return start, len(text) if end < 0 else end + 1


def only_entry_changed(before: str, after: str, name: str) -> str:
    """The entry's new text, after checking that every byte outside it is as it was."""
    start, end = entry(before, name)
    new_start, new_end = entry(after, name)
    assert after[:new_start] == before[:start] and after[new_end:] == before[end:]
    return after[new_start:new_end]


def changed(page: Page, places: Path, before: bytes, timeout: float = 30) -> str:
    """The file's text once the page's change has reached it (the page's requests go on meanwhile)."""
    deadline = time.monotonic() + timeout
    while places.read_bytes() == before and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # not time.sleep: the harness routes the page's requests in this thread
    assert places.read_bytes() != before, "the page's change never reached the file"
    return places.read_text()


def test_dragging_a_marker_writes_its_new_point_into_that_entry_only(
    editing: tuple[MapServer, Path], open_served: ServedMapOpener
) -> None:
    server, places = editing
    page = ready(open_served.open_url(server.url))
    before = places.read_text()
    x, y = marker_at(page, "Heraqla", zoom=13)
    target = lat_lon_at(page, x + 60, y - 40)
    with reloaded(page):
        page.mouse.move(x, y)
        page.mouse.down()
        page.mouse.move(x + 30, y - 20, steps=4)
        page.mouse.move(x + 60, y - 40, steps=4)
        page.mouse.up()
        new = only_entry_changed(before, changed(page, places, before.encode()), "Heraqla")
    point = placelist.load(places).places[2].placement
    assert isinstance(point, placelist.Point)
    assert point.latlon == pytest.approx(target, abs=2e-4)
    assert "Harqal citadel" in new and "Reuters Arabic, 7 June 2017" in new
    assert re.search(r"- placed by hand on the map \(geo serve --edit\) on \d{4}-\d\d-\d\d\n", new)
    assert "moved 'Heraqla'" in page.inner_text(".geo-edit-status")
    assert page.evaluate(f"(() => {{ {MARKER} return placeMarker('Heraqla').getLatLng().lat; }})()") == pytest.approx(
        target[0], abs=2e-4
    )


def test_picking_another_candidate_writes_its_record(editing: tuple[MapServer, Path], open_served: ServedMapOpener) -> None:
    server, places = editing
    page = ready(open_served.open_url(server.url))
    before = places.read_text()
    page.locator(".leaflet-control-layers label", has_text="Countries and capitals").click()  # a layer shown off
    x, y = marker_at(page, "Washington", zoom=6)
    page.mouse.click(x, y)
    page.get_by_role("button", name="Other candidates").click()
    rows = page.locator(".geo-edit-candidates li")
    rows.nth(1).wait_for()
    assert "Washington · US · capital · confidence" in rows.nth(0).inner_text()
    assert "(on the map)" in rows.nth(0).inner_text()
    choice = rows.nth(1)
    words = choice.inner_text()
    assert re.search(r"Washington.* · US · \w+ · confidence \d\.\d\d · [\d.]+ km away", words), words
    ref = choice.get_by_role("button", name="Use this").get_attribute("title").removeprefix("Write ref: ").split()[0]
    with reloaded(page):
        choice.get_by_role("button", name="Use this").click()
        after = changed(page, places, before.encode())
    start = before.index("  - name: Washington\n")
    assert after[:start] == before[:start]
    assert f"    ref: {ref}\n    checked: true\n" in after[start:]
    assert f"pinned 'Washington' to {ref}" in page.inner_text(".geo-edit-status")


def test_add_remove_and_undo_from_the_page(editing: tuple[MapServer, Path], open_served: ServedMapOpener) -> None:
    server, places = editing
    original = places.read_bytes()
    page = ready(open_served.open_url(server.url))
    page.get_by_role("button", name="Add a place").click()
    box = page.locator(".geo-map").bounding_box()
    assert box is not None
    x, y = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.75
    where = lat_lon_at(page, x, y)
    page.mouse.click(x, y)
    page.get_by_label("Name").fill("Tabqa")
    page.get_by_label("Kind").select_option("town")
    with reloaded(page):
        page.get_by_role("button", name="Add", exact=True).click()
        added = changed(page, places, original)
    tabqa = placelist.load(places).places[-1]
    assert (tabqa.name, tabqa.kind) == ("Tabqa", "town")
    assert isinstance(tabqa.placement, placelist.Point) and tabqa.placement.latlon == pytest.approx(where, abs=2e-4)
    assert added.startswith(original.decode())  # the new entry goes at the end, nothing else moves

    x, y = marker_at(page, "Tabqa", zoom=11)
    page.mouse.click(x, y)
    with reloaded(page):
        page.get_by_role("button", name="Remove").click()
        changed(page, places, added.encode())
    assert places.read_bytes() == original

    assert page.get_by_role("button", name="Undo").get_attribute("title") == "Undo: removed 'Tabqa'"
    with reloaded(page):
        page.get_by_role("button", name="Undo").click()
        assert changed(page, places, original) == added
    assert "undid: removed 'Tabqa'" in page.inner_text(".geo-edit-status")


def test_a_place_others_use_is_not_removed_and_the_page_says_why(
    editing: tuple[MapServer, Path], open_served: ServedMapOpener
) -> None:
    server, places = editing
    before = places.read_bytes()
    page = ready(open_served.open_url(server.url))
    x, y = marker_at(page, "Raqqa", zoom=12)
    page.mouse.click(x, y)
    page.get_by_role("button", name="Remove").click()
    status = page.locator(".geo-edit-status.geo-edit-error")
    status.wait_for()
    assert status.inner_text() == (f"geo: error: {places}:35: 'Raqqa' is used by 'Heraqla', 'Division 17 base', "
                                   "'Hazima', 'map.focus'; change or remove those first")  # fmt: skip
    assert places.read_bytes() == before
    assert [e for e in open_served.page_errors() if "status of 400" not in e] == []
    open_served.errors.clear()  # the refused request's 400, which Chromium logs


def test_a_page_without_the_token_cannot_edit(editing: tuple[MapServer, Path], open_served: ServedMapOpener) -> None:
    server, places = editing
    before = places.read_bytes()
    page = open_served.open_url(server.url.split("#")[0])
    page.wait_for_function("window.geoStory && geoStory.ready")
    assert "cannot edit" in page.inner_text(".geo-edit-status")
    status = page.evaluate("""fetch("/api/places/Heraqla", {method: "PATCH", body: JSON.stringify({point: [1, 2]}),
                                      headers: {"X-Geo-Token": "guessed"}}).then(r => r.status)""")  # fmt: skip
    assert status == 403
    assert places.read_bytes() == before
    assert [e for e in open_served.page_errors() if "status of 403" not in e] == []
    open_served.errors.clear()
