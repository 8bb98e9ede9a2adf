"""A map of thousands of places in a real browser: it draws, zooms, labels its focus and lists every place."""

from __future__ import annotations

import random
from pathlib import Path

from click.testing import CliRunner

from geo.cli import main

COUNT = 2_500
FOCUS = ("Place 00007", "Place 01234", "Place 02222")
SETTLE = "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"


def many_places(path: Path) -> Path:
    """A place list of COUNT villages and towns strewn over the Euphrates valley, three of them the focus."""
    rng = random.Random(16)
    lines = ["title: Every village of an offensive", f"map: {{focus: [{', '.join(FOCUS)}]}}", "places:"]
    for i in range(COUNT):
        kind = "town" if i % 5 == 0 else "village"
        lines.append(f"  - {{name: Place {i:05d}, kind: {kind}, point: [{rng.uniform(34.5, 36.5):.5f}, {rng.uniform(38.0, 41.0):.5f}]}}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_map_of_thousands_of_places_draws_zooms_and_labels_its_focus(tmp_path: Path, open_map) -> None:
    out = tmp_path / "many.html"
    result = CliRunner().invoke(main, ["build", str(many_places(tmp_path / "places.yaml")), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = open_map(out)
    page.wait_for_function("window.geoStory && geoStory.ready", timeout=60_000)
    page.evaluate(SETTLE)

    def shown_labels() -> list[str]:
        return page.locator(".geo-label:not(.geo-label-hidden)").all_text_contents()

    # The focus places keep their own markers and their labels; the crowd is one canvas, not thousands of elements.
    assert set(FOCUS) <= set(shown_labels())
    assert page.locator(".geo-label-main").inner_text() == FOCUS[0]
    assert page.locator("path.geo-marker").count() <= 50
    assert page.locator("canvas.geo-crowd").count() == 1
    assert page.evaluate("geoStory.crowds.get('places').points.length") + page.locator("path.geo-marker").count() == COUNT
    # Only labels with room are on the page, and they do not overlap.
    labels = page.evaluate("[...document.querySelectorAll('.geo-label')].map(n => n.getBoundingClientRect()).map(b => [b.left, b.top, b.right, b.bottom])")
    assert 3 <= len(labels) < 400
    for i, (left, top, right, bottom) in enumerate(labels):
        for other in labels[i + 1 :]:
            assert right <= other[0] or other[2] <= left or bottom <= other[1] or other[3] <= top, (labels[i], other)

    # A zoom step and a pan complete (a generous bound catches a hang, not a slow machine), the focus still labelled.
    zoom = page.evaluate("geoStory.map.getZoom()")
    page.evaluate("geoStory.map.setView(geoStory.map.getCenter(), geoStory.map.getZoom() - 1, {animate: false})")
    page.wait_for_function(f"geoStory.map.getZoom() === {zoom - 1}", timeout=30_000)
    page.evaluate(SETTLE)
    page.evaluate("geoStory.map.panBy([200, 100], {animate: false})")
    page.evaluate(SETTLE)
    assert FOCUS[0] in shown_labels()

    # A point of the crowd opens its popup where it is drawn.
    place = page.evaluate(
        """(() => {
          const map = geoStory.map, size = map.getSize();
          const point = geoStory.crowds.get('places').points.find(p => {
            const at = map.latLngToContainerPoint(p.latlng);
            return at.x > 300 && at.x < size.x - 300 && at.y > 250 && at.y < size.y - 250;
          });
          map.setView(point.latlng, 12, {animate: false});
          return point.place.name;
        })()"""
    )
    page.evaluate(SETTLE)
    box = page.locator("#" + page.evaluate("geoStory.map.getContainer().id")).bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    assert page.locator(".leaflet-popup-content h3").inner_text() == place

    # The plain-text list under the map comes to hold every place.
    page.wait_for_function("window.geoListDone === true", timeout=60_000)
    assert page.locator(".geo-list h3").count() == COUNT
