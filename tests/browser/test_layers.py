"""Layers whose ids and titles are JavaScript's own property names still work in the page."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from geo.cli import main

PLACES = """\
title: Layers named like JavaScript's own properties
map:
  focus: [Raqqa]
layers:
  front: {title: Raqqa front}
  __proto__: {title: __proto__}
  constructor: {title: hasOwnProperty}
places:
  - name: Raqqa
    layer: front
    point: [35.95, 39.0]
  - name: Paris
    layer: __proto__
    point: [48.85, 2.35]
  - name: Lagos
    layer: constructor
    point: [6.45, 3.39]
"""


def test_the_all_view_and_the_layer_control_keep_every_layer(tmp_path: Path, open_map) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(PLACES, encoding="utf-8")
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["build", str(places), "-o", str(out)])
    assert result.exit_code == 0, result.output
    page = open_map(out)
    page.wait_for_function("window.geoStory && geoStory.ready")
    entries = [e.strip() for e in page.locator(".leaflet-control-layers label").all_text_contents()]
    assert entries == ["Street", "Satellite", "Light", "Offline (Natural Earth)", "Raqqa front", "__proto__", "hasOwnProperty"]
    assert page.locator("path.geo-marker").count() == 3

    def in_view(lat: float, lon: float) -> bool:
        return page.evaluate(f"geoStory.map.getBounds().contains([{lat}, {lon}])")

    assert in_view(35.95, 39.0) and not in_view(48.85, 2.35)  # the story frames Raqqa
    page.locator("a.geo-view", has_text="All").click()
    page.wait_for_function("!geoStory.map.getBounds().contains([35.95, 39.0]) || geoStory.map.getZoom() < 5")
    assert in_view(35.95, 39.0) and in_view(48.85, 2.35) and in_view(6.45, 3.39)

    # A layer switched off leaves the "All" view.
    page.locator(".leaflet-control-layers label", has_text="__proto__").locator("input").uncheck()
    page.locator("a.geo-view", has_text="Story").click()
    page.locator("a.geo-view", has_text="All").click()
    page.wait_for_timeout(500)
    assert page.locator("path.geo-marker").count() == 2
    assert in_view(6.45, 3.39) and not in_view(48.85, 2.35)
