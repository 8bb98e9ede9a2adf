"""The built map in a real browser: what a reader sees and can do."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import main

ROOT = Path(__file__).resolve().parents[2]
EVIL = "<img src=x onerror=alert(1)> {{ 7*7 }} {% if true %}x{% endif %}"


@pytest.fixture(scope="module")
def raqqa_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("map") / "map.html"
    result = CliRunner().invoke(main, ["build", str(ROOT / "places.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_raqqa_map_shows_the_story(raqqa_map: Path, open_map) -> None:
    page = open_map(raqqa_map)
    page.wait_for_function("window.geoStory && geoStory.ready")
    # Markers for every point and area, except the country points of the hidden context layer.
    assert page.locator("path.geo-marker").count() == 11
    assert page.locator("path.geo-line").count() == 3
    shapes = page.locator("path.geo-shape")
    assert shapes.count() == 4  # Raqqa, Al-Meshleb, Mosul Old City, the zone
    assert page.locator("path.geo-shape.geo-kind-zone").count() == 1
    assert page.locator("path.geo-uncertainty").count() == 2  # Division 17 base and Hazima
    labels = page.locator(".geo-label")
    assert labels.count() >= 10
    visible = page.locator(".geo-label:not(.geo-label-hidden)")
    texts = visible.all_text_contents()
    for name in ("Raqqa", "Heraqla", "Division 17 base", "Al-Meshleb", "Hazima"):
        assert name in texts
    # No two visible labels overlap at the starting view.
    boxes = [visible.nth(i).bounding_box() for i in range(visible.count())]
    boxes = [b for b in boxes if b and b["width"] > 0]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = (
                a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"]
            )  # fmt: skip
            assert apart, (a, b)
    # The starting view frames Raqqa.
    zoom = page.evaluate("geoStory.map.getZoom()")
    center = page.evaluate("[geoStory.map.getCenter().lat, geoStory.map.getCenter().lng]")
    assert zoom >= 10
    assert abs(center[0] - 36.0) < 0.15 and abs(center[1] - 39.0) < 0.15

    control = page.locator(".leaflet-control-layers")
    entries = control.locator("label").all_text_contents()
    entries = [e.strip() for e in entries]
    assert entries == [
        "Street", "Satellite", "Light",
        "Raqqa front", "Mosul", "Al-Tanaf zone", "Rivers and borders", "Countries and capitals",
    ]  # fmt: skip
    legend = page.locator(".geo-legend").inner_text()
    for entry in ("Settlement", "Military base", "Zone", "River", "Border", "Approximate position"):
        assert entry in legend
    assert page.locator(".leaflet-control-scale").count() == 1
    assert page.locator(".geo-fullscreen a[role=button]").get_attribute("title") == "Full screen"

    page.screenshot(path=str(ROOT / "output" / "map.png"))

    # The context layer is off at start; turning it on shows the country points.
    page.locator(".leaflet-control-layers label", has_text="Countries and capitals").locator("input").check()
    assert page.locator("path.geo-marker").count() == 17

    # A popup opens on click, with notes, events and sources.
    page.evaluate("geoStory.map.setView([35.95689, 38.93306], 13)")
    page.locator("path.geo-marker.geo-kind-site").click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Heraqla" in text and "2017-06-07" in text and "Sources" in text and "Abbasid" in text

    # The plain-text list under the map names every place.
    listed = page.locator(".geo-list h3").all_text_contents()
    assert len(listed) == 21 and "Al-Tanaf garrison" in listed

    assert open_map.aborted, "tile requests are expected and must have been aborted"


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


VIEW_KM = "geoStory.map.distance(geoStory.map.getBounds().getSouthWest(), geoStory.map.getBounds().getNorthEast()) / 1000"
SETTLE = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def _build(places: Path, out: Path, *args: str) -> Path:
    result = CliRunner().invoke(main, ["build", str(places), "-o", str(out), *args])
    assert result.exit_code == 0, result.output
    return out


def _story(page):  # type: ignore[no-untyped-def]
    page.wait_for_function("window.geoStory && geoStory.ready")
    page.evaluate(SETTLE)
    return page


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
