"""The map page as a file: self-contained and reproducible."""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from geo import placelist, webmap
from geo.cli import main
from geo.gazetteer import builtin
from geo.resolve import resolve

ROOT = Path(__file__).resolve().parent.parent


def build(places: Path, out: Path, *args: str, seed: str = "0") -> bytes:
    """``geo build`` in a process of its own, so nothing random is shared between two builds."""
    env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=str(ROOT))
    run = subprocess.run(
        [sys.executable, "-m", "geo", "build", str(places), "-o", str(out), *args],
        env=env, capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return out.read_bytes()


def test_two_builds_of_one_place_list_are_byte_identical(tmp_path: Path) -> None:
    first = build(ROOT / "places.yaml", tmp_path / "a.html", seed="1")
    second = build(ROOT / "places.yaml", tmp_path / "b.html", seed="2")
    assert first == second


def test_element_ids_follow_the_tree_not_chance() -> None:
    import folium

    def page() -> str:
        fmap = webmap.StoryMap(location=[0, 0], tiles=None)
        folium.TileLayer("OpenStreetMap").add_to(fmap)
        folium.Marker([1, 1]).add_to(fmap)
        return fmap.get_root().render()

    first = page()
    assert first == page()
    assert "var map_1 = L.map(" in first  # the figure is 0, the map its first child


def test_a_map_rendered_again_or_grown_keeps_its_ids() -> None:
    """folium keys what an element renders by its id: renumbered, a second render would draw the story twice."""
    import folium

    place_list = placelist.parse("title: t\nplaces:\n  - {name: Raqqa, kind: city, point: [35.95, 39.01]}\n", Path("p.yaml"))
    fmap = webmap.build(place_list, resolve(place_list, builtin()))
    fmap.get_root().render()
    folium.Marker([36.0, 39.0], tooltip="added").add_to(fmap)
    for _ in range(2):
        page = fmap.get_root().render()
        assert page.count("geoStory(map_1, ") == 1 and page.count(".geo-label-main {") == 1
        assert len(re.findall(r"var marker_\d+ = L\.marker\(", page)) == 1 and "added" in page


class _Requests(HTMLParser):
    """Every URL the page's own markup would make a browser fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None and tag != "a":
                self.urls.append(value)


def test_the_page_carries_everything_it_runs(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(ROOT / "places.yaml"), "-o", str(tmp_path / "map.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    parser = _Requests()
    parser.feed(page)
    assert parser.urls == []
    assert "sourceMappingURL=" not in page
    assert page.count("url(") == page.count("url(data:") + page.count("url(#default#VML)")  # an old IE behaviour, no file
    assert webmap.leaflet_js() in page and 't.version="1.9.3"' in page  # the packaged Leaflet itself


def test_the_cdn_page_pins_the_packaged_leaflet_by_its_hash(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["build", str(ROOT / "places.yaml"), "-o", str(tmp_path / "map.html"), "--cdn"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "map.html").read_text(encoding="utf-8")
    parser = _Requests()
    parser.feed(page)
    assert parser.urls == [
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
    ]
    from xstatic.pkg import leaflet

    digest = base64.b64encode(hashlib.sha384((Path(leaflet.BASE_DIR) / "leaflet.js").read_bytes()).digest()).decode()
    assert f'integrity="sha384-{digest}"' in page
    assert webmap.leaflet_js() not in page


def test_a_long_place_list_comes_under_the_map_in_chunks_that_lose_no_place() -> None:
    """Past the first places, the list waits in <template> chunks (filled in by the page); every place is in it once."""
    count = webmap.LIST_FIRST + 2 * webmap.LIST_CHUNK + 7
    text = "title: t\nplaces:\n" + "".join(f"  - {{name: P{i}, kind: village, point: [35.{i:04d}, 39.0]}}\n" for i in range(count))
    place_list = placelist.parse(text, Path("p.yaml"))
    listed = webmap.place_list_html(place_list, resolve(place_list, builtin()))
    assert re.findall(r"<h3>(P\d+)</h3>", listed) == [f"P{i}" for i in range(count)]
    live, *chunks = listed.split('<template class="geo-list-later">')
    assert live.count("<li>") == webmap.LIST_FIRST
    assert [chunk.count("<li>") for chunk in chunks] == [webmap.LIST_CHUNK, webmap.LIST_CHUNK, 7]
