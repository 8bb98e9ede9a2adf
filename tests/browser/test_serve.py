"""``geo serve`` in a real browser: save the file, the open page shows the change;
break the file, the page keeps the map and shows the error with its line; no save,
however broken, stops the page from following the file."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import ServedMapOpener

from geo.cli.serve import MapServer

PLACES = textwrap.dedent("""\
    title: Serve test
    places:
      - name: Alpha town
        point: [35.95, 39.01]
    """)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[MapServer, Path]]:
    places = tmp_path / "places.yaml"
    places.write_text(PLACES)
    server = MapServer(places, port=0)
    server.start()
    yield server, places
    server.stop()


def test_saving_the_file_reloads_the_page_with_the_new_place(
    served: tuple[MapServer, Path], open_served: ServedMapOpener, tmp_path: Path
) -> None:
    server, places = served
    page = open_served.open_url(server.url)
    assert "Alpha town" in page.content()
    assert page.evaluate("typeof L") == "object"
    assert not (tmp_path / "output").exists()  # nothing written to output/

    places.write_text(PLACES + "  - name: Bravo village\n    point: [36.1, 39.2]\n")
    page.wait_for_function("document.documentElement.innerHTML.includes('Bravo village')", timeout=15_000)

    # A broken file: the map stays, the error with file and line is shown on top.
    places.write_text(PLACES + "  - name: Charlie\n    point: [36.1, 39.2\n")
    page.wait_for_selector("#geo-error", timeout=15_000)
    banner = page.inner_text("#geo-error")
    assert f"{places}:" in banner and "not valid YAML" in banner
    assert "Bravo village" in page.content()

    # Fixed again: the banner goes, the new place shows.
    places.write_text(PLACES + "  - name: Charlie\n    point: [36.1, 39.2]\n")
    page.wait_for_function("document.documentElement.innerHTML.includes('Charlie')", timeout=15_000)
    assert page.query_selector("#geo-error") is None


def test_a_save_geo_cannot_handle_shows_a_banner_and_a_later_save_the_new_place(
    served: tuple[MapServer, Path], open_served: ServedMapOpener
) -> None:
    server, places = served
    page = open_served.open_url(server.url)
    assert "Alpha town" in page.content()

    places.write_text(PLACES.replace("places:", "article: {date: 2017-02-30}\nplaces:"))
    page.wait_for_selector("#geo-error", timeout=15_000)
    banner = page.inner_text("#geo-error")
    assert "\n" not in banner.strip() and ("2017" in banner or "day is out of range" in banner)
    assert "Alpha town" in page.content()

    places.write_text(PLACES + "  - name: Bravo village\n    point: [36.1, 39.2]\n")
    page.wait_for_function("document.documentElement.innerHTML.includes('Bravo village')", timeout=15_000)
    assert page.query_selector("#geo-error") is None


def test_the_error_text_is_escaped(served: tuple[MapServer, Path]) -> None:
    server, places = served
    places.write_text(PLACES + "  - name: <script>x</script>\n    pont: [1, 2]\n")
    server.rebuild()
    page = server.page()
    banner = page.split('id="geo-error"')[1].split("</div>")[0]
    assert "unknown key &#x27;pont&#x27; in place &#x27;&lt;script&gt;x&lt;/script&gt;&#x27;" in banner
