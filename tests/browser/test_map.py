"""The built map in a real browser with every request refused: what a reader sees and can do."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Page

from geo.cli import main

ROOT = Path(__file__).resolve().parents[2]
EVIL = "<img src=x onerror=alert(1)> {{ 7*7 }} {% if true %}x{% endif %}"


@pytest.fixture(scope="module")
def raqqa_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("map") / "map.html"
    result = CliRunner().invoke(main, ["build", str(ROOT / "places.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


OFFLINE = "Offline (Natural Earth)"
TILE_HOSTS = ("https://tile.openstreetmap.org/", "https://server.arcgisonline.com/")
SETTLE = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
VIEW_KM = "geoStory.map.distance(geoStory.map.getBounds().getSouthWest(), geoStory.map.getBounds().getNorthEast()) / 1000"


def offline_story(page: Page) -> Page:
    """Wait until the page has drawn, given up on the tiles and laid out its labels again."""
    page.wait_for_function("window.geoStory && geoStory.ready")
    page.wait_for_function(f"geoStory.basemap() === {OFFLINE!r}")
    page.evaluate(SETTLE)
    return page


def visible_label_boxes(page: Page, selector: str) -> list[dict[str, float]]:
    return page.evaluate(
        f"""[...document.querySelectorAll({selector!r})]
            .filter(n => !n.classList.contains('geo-label-hidden'))
            .map(n => n.classList.contains('geo-base-label') ? n.firstElementChild : n)
            .map(n => n.getBoundingClientRect())
            .filter(b => b.width > 0 && b.right > 0 && b.bottom > 0 && b.left < innerWidth && b.top < innerHeight)
            .map(b => ({{x: b.x, y: b.y, width: b.width, height: b.height}}))"""
    )


def assert_apart(boxes: list[dict[str, float]]) -> None:
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert (
                a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
            ), (a, b)  # fmt: skip


def test_the_raqqa_map_works_with_every_request_refused(raqqa_map: Path, open_map) -> None:
    page = offline_story(open_map(raqqa_map))
    # Nothing but tiles was even asked for: Leaflet, its images and the basemap are in the page.
    assert open_map.aborted and all(url.startswith(TILE_HOSTS) for url in open_map.aborted), open_map.aborted

    # The offline basemap replaced the tiles, said so, and credits its sources.
    assert page.locator(".geo-note").inner_text().startswith("Map tiles could not be loaded")
    assert page.locator(".leaflet-control-layers-base label", has_text=OFFLINE).locator("input").is_checked()
    attribution = page.locator(".leaflet-control-attribution").inner_text()
    assert "Natural Earth" in attribution and "GeoNames" in attribution
    assert page.locator("path.geo-base-land").count() >= 1
    assert page.locator("path.geo-base-border").count() >= 1
    assert page.evaluate("getComputedStyle(document.querySelector('path.geo-base-land')).fill") == "rgb(244, 241, 232)"

    # Markers for every point and area, except the country points of the hidden context layer.
    assert page.locator("path.geo-marker").count() == 11
    assert page.locator("path.geo-line").count() == 3
    assert page.locator("path.geo-shape").count() == 4  # Raqqa, Al-Meshleb, Mosul Old City, the zone
    assert page.locator("path.geo-shape.geo-kind-zone").count() == 1
    assert page.locator("path.geo-uncertainty").count() == 2  # Division 17 base and Hazima
    texts = page.locator(".geo-label:not(.geo-label-hidden)").all_text_contents()
    for name in ("Raqqa", "Heraqla", "Division 17 base", "Al-Meshleb", "Hazima"):
        assert name in texts
    assert page.locator(".geo-label-main").inner_text() == "Raqqa"

    # No two visible labels overlap, here or zoomed out where the basemap names towns too.
    assert_apart(visible_label_boxes(page, ".geo-label, .geo-base-label"))
    page.screenshot(path=str(ROOT / "output" / "map.png"))
    page.evaluate("void geoStory.map.setView([35.95, 39.0], 7, {animate: false})")
    page.wait_for_function("document.querySelectorAll('.geo-base-town:not(.geo-label-hidden)').length >= 5", timeout=5000)
    page.evaluate(SETTLE)
    assert_apart(visible_label_boxes(page, ".geo-label, .geo-base-label"))
    page.locator("a.geo-view", has_text="Story").click()
    page.wait_for_function("geoStory.map.getZoom() >= 10")
    page.evaluate(SETTLE)

    # The starting view frames the focus places, close up.
    for lat, lon in ((35.95283, 39.00788), (35.95689, 38.93306), (35.95, 39.045)):
        assert page.evaluate(f"geoStory.map.getBounds().contains([{lat}, {lon}])")

    entries = [e.strip() for e in page.locator(".leaflet-control-layers label").all_text_contents()]
    assert entries == [
        "Street", "Satellite", "Light", OFFLINE,
        "Raqqa front", "Mosul", "Al-Tanaf zone", "Rivers and borders", "Countries and capitals",
    ]  # fmt: skip
    legend = page.locator(".geo-legend").inner_text()
    for entry in ("Settlement", "Military base", "Zone", "River", "Border", "Approximate position"):
        assert entry in legend
    assert page.locator(".leaflet-control-scale").count() == 1
    assert page.locator(".geo-fullscreen a[role=button]").get_attribute("title") == "Full screen"

    # The context layer is off at start; turning it on shows the countries' outlines and their markers,
    # beneath the places inside them (the popup below opens on a marker inside Syria's outline).
    page.locator(".leaflet-control-layers label", has_text="Countries and capitals").locator("input").check()
    assert page.locator("path.geo-marker").count() == 17
    assert page.locator(".leaflet-geoAreas-pane path.geo-shape.geo-kind-country").count() == 5

    # A popup opens on click, with notes, events and sources.
    page.evaluate("void geoStory.map.setView([35.95689, 38.93306], 13)")
    page.locator("path.geo-marker.geo-kind-site").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Heraqla" in text and "2017-06-07" in text and "Sources" in text and "Abbasid" in text

    # The plain-text list under the map names every place.
    listed = page.locator(".geo-list h3").all_text_contents()
    assert len(listed) == 21 and "Al-Tanaf garrison" in listed

    # Zoomed out to the world, the basemap still draws land and names countries.
    page.evaluate("void geoStory.map.closePopup().setView([30, 20], 3, {animate: false})")
    for country in ("India", "Mongolia"):  # countries no place of the list names, so no story label takes their room
        page.wait_for_function(
            f"[...document.querySelectorAll('.geo-base-country:not(.geo-label-hidden)')].some(n => n.textContent === {country!r})",
            timeout=5000,
        )
    outlines = page.evaluate("[...document.querySelectorAll('path.geo-base-land, path.geo-base-coast')].map(p => p.getAttribute('d').length)")
    assert max(outlines) > 10_000  # the world's coasts, not a rectangle


def test_the_page_keeps_its_tiles_when_they_load(raqqa_map: Path, open_map_with_tiles) -> None:
    page = open_map_with_tiles(raqqa_map)
    page.wait_for_function("window.geoStory && geoStory.ready")
    page.wait_for_function("document.querySelectorAll('img.leaflet-tile-loaded').length > 0")
    page.wait_for_timeout(500)
    assert page.evaluate("geoStory.basemap()") == "Street"
    assert page.locator(".geo-note").count() == 0
    assert page.locator("path.geo-base-land").count() == 0
    # The offline basemap is one click away.
    page.locator(".leaflet-control-layers label", has_text=OFFLINE).locator("input").check()
    assert page.locator("path.geo-base-land").count() >= 1


def test_the_cdn_page_is_small_and_runs_the_packaged_leaflet(raqqa_map: Path, tmp_path: Path, open_map_with_cdn, open_map) -> None:
    small = _build(ROOT / "places.yaml", tmp_path / "cdn.html", "--cdn")
    assert small.stat().st_size < raqqa_map.stat().st_size - 140_000
    page = offline_story(open_map_with_cdn(small))  # integrity hashes checked by the browser
    assert page.evaluate("L.version") == "1.9.3"
    assert page.locator("path.geo-marker").count() == 11
    # With the CDN out of reach, the page says what is missing and how to get a page that works offline.
    page = open_map(small)
    assert "could not be loaded" in page.locator("body").inner_text() and "without --cdn" in page.locator("body").inner_text()
    assert any("leaflet.js" in error for error in open_map.page_errors())
    open_map.errors.clear()


def test_a_list_that_starts_on_the_offline_basemap_asks_for_nothing(tmp_path: Path, open_map) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(
        "title: Offline\nmap: {basemap: offline}\nplaces:\n  - {name: Raqqa, kind: city, point: [35.95, 39.01]}\n", encoding="utf-8"
    )
    page = offline_story(open_map(_build(places, tmp_path / "offline.html")))
    page.wait_for_timeout(300)
    assert open_map.aborted == []
    assert page.locator(".geo-note").count() == 0  # nothing failed: the list asked for it
    assert page.locator("path.geo-base-land").count() >= 1 and page.locator(".geo-label-main").inner_text() == "Raqqa"


def test_a_hostile_place_list_runs_no_script(tmp_path: Path, open_map) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(
        f"""title: "{EVIL}"
article: {{source: "{EVIL}"}}
layers:
  front: {{title: "{EVIL}"}}
places:
  - name: "{EVIL}"
    aliases: ["{EVIL}"]
    kind: city
    point: [35.95, 39.0]
    notes: "{EVIL} ${{alert(2)}} </script><script>alert(3)</script>"
    sources: ["{EVIL}"]
    events: [{{date: 2017-06-07, text: "{EVIL}"}}]
  - name: "second {EVIL}"
    relative: {{of: "{EVIL}", distance_km: 3, bearing: north}}
    precision: approximate
    radius_km: 1
""",
        encoding="utf-8",
    )
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["build", str(places), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = open_map(out)
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.wait_for_function("window.geoStory && geoStory.ready")
    page.locator("path.geo-marker").first.click()
    page.locator(".leaflet-popup-content").wait_for()
    page.wait_for_timeout(200)
    assert dialogs == []
    assert page.locator("img[src=x]").count() == 0
    # The characters are shown as text everywhere they appear.
    assert EVIL in page.locator(".geo-label").first.inner_text()
    assert EVIL in page.locator(".leaflet-popup-content").inner_text()
    assert EVIL in page.locator(".leaflet-control-layers").inner_text()
    assert EVIL in page.locator(".geo-legend").inner_text()
    assert EVIL in page.locator(".geo-list").inner_text()
    assert EVIL in page.title()


def test_popups_quote_the_article_with_the_mention_marked(tmp_path: Path, open_map) -> None:
    out = tmp_path / "map.html"
    article = next(
        path
        for path in (ROOT.parent / "shared" / "articles" / "raqqa-2017-06-07.txt", Path("/work/shared/articles/raqqa-2017-06-07.txt"))
        if path.exists()
    )
    result = CliRunner().invoke(main, ["build", str(ROOT / "places.yaml"), "-o", str(out), "--article", str(article)])
    assert result.exit_code == 0, result.output
    page = open_map(out)
    page.wait_for_function("window.geoStory && geoStory.ready")
    page.evaluate("geoStory.map.setView([35.95689, 38.93306], 13)")
    page.locator("path.geo-marker.geo-kind-site").click()
    quotes = page.locator(".leaflet-popup-content blockquote")
    quotes.first.wait_for()
    assert "captured the neighborhood and the Harqal citadel" in quotes.first.inner_text()
    assert page.locator(".leaflet-popup-content mark").first.inner_text() == "Harqal citadel"


def test_an_unverified_place_looks_like_a_guess(tmp_path: Path, open_map) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(
        "title: Guesses\nplaces:\n  - name: Springfield\n  - name: Mosul\n  - name: Raqqa\n    point: [35.95, 39.01]\n",
        encoding="utf-8",
    )
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["build", str(places), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = open_map(out)
    page.wait_for_function("window.geoStory && geoStory.ready")
    page.evaluate("geoStory.map.fitBounds(geoStory.groups.get(\"places\").getBounds())")
    assert page.locator("path.geo-marker.geo-unverified").count() == 1
    assert page.locator("path.geo-marker:not(.geo-unverified)").count() == 2
    assert page.locator(".geo-label-unverified").all_text_contents() == ["Springfield (?)"]
    assert "Unverified (?)" in page.locator(".geo-legend").inner_text()
    page.locator("path.geo-marker.geo-unverified").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Unverified: the gazetteer's best guess" in popup.inner_text()
    assert "unverified" in page.locator(".geo-list").inner_text()


def _build(places: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, ["build", str(places), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def _story(page: Page) -> Page:
    return offline_story(page)


def test_the_drafted_raqqa_list_opens_on_raqqa_with_its_label(tmp_path: Path, open_map) -> None:
    article = next(p for p in (ROOT.parent / "shared" / "articles" / "raqqa-2017-06-07.txt", Path("/work/shared/articles/raqqa-2017-06-07.txt")) if p.exists())
    draft = tmp_path / "draft.yaml"
    result = CliRunner().invoke(main, ["extract", str(article), "--date", "2017-06-07", "-o", str(draft)])
    assert result.exit_code == 0, result.output
    page = _story(open_map(_build(draft, tmp_path / "draft.html")))
    assert page.evaluate(VIEW_KM) < 1500
    assert page.evaluate("geoStory.map.getBounds().contains([35.95, 39.01])")
    raqqa = page.locator(".geo-label-main")
    assert raqqa.inner_text() == "Raqqa" and "geo-label-hidden" not in (raqqa.get_attribute("class") or "")
    box = raqqa.bounding_box()
    assert box and 0 <= box["x"] and box["x"] + box["width"] <= 1280 and 0 <= box["y"] <= 800
    # "All" still reaches the far namesakes and capitals of the draft.
    page.locator("a.geo-view", has_text="All").click()
    page.wait_for_function(f"{VIEW_KM} > 5000")


def test_labels_give_way_by_importance_not_file_order(tmp_path: Path, open_map) -> None:
    """Six places on one spot, where fewer labels fit: the city's label stays, though it is last
    in the file; with ``map.focus`` naming the last village, that village's does."""
    villages = "".join(f"  - name: Village {i}\n    kind: village\n    point: [35.95, {39.0 + i * 0.0001:.4f}]\n" for i in range(1, 6))
    places = tmp_path / "places.yaml"
    places.write_text(f"title: Crowded\nplaces:\n{villages}  - name: Big city\n    kind: city\n    point: [35.95, 39.0]\n", encoding="utf-8")
    page = _story(open_map(_build(places, tmp_path / "crowded.html")))
    shown = page.locator(".geo-label:not(.geo-label-hidden)").all_text_contents()
    assert "Big city" in shown and page.locator(".geo-label-main").inner_text() == "Big city"
    assert len(shown) < 6 and "Village 5" not in shown  # file order would have hidden the city

    focused = places.read_text(encoding="utf-8").replace("title: Crowded\n", "title: Crowded\nmap: {focus: [Village 5]}\n")
    places.write_text(focused, encoding="utf-8")
    page = _story(open_map(_build(places, tmp_path / "focused.html")))
    shown = page.locator(".geo-label:not(.geo-label-hidden)").all_text_contents()
    assert page.locator(".geo-label-main").inner_text() == "Village 5" and "Village 5" in shown and "Big city" in shown
