"""Self-tests of the browser harness in conftest.py.

The map tests trust this harness to refuse every request the page makes, to serve
Leaflet from the Python package when asked, and to catch JavaScript errors; a harness
that quietly did none of this would make every map test pass for the wrong reason,
so each is proved here on tiny pages.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: conftest isn't importable in every mode
    from conftest import MapOpener

LEAFLET = "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet"
TILE = "https://tile.openstreetmap.org/1/1/1.png"
HARNESS = str(Path(__file__).with_name("conftest.py"))


def write_page(directory: Path, body: str, head: str = "") -> Path:
    """Write a minimal HTML page that loads Leaflet from jsDelivr, as a --cdn page does."""
    page = directory / "page.html"
    page.write_text(
        textwrap.dedent(f"""\
        <!DOCTYPE html>
        <html><head>
        <link rel="stylesheet" href="{LEAFLET}.css">
        <script src="{LEAFLET}.js"></script>
        {head}
        </head><body>
        <div id="map" style="width: 400px; height: 300px"></div>
        {body}
        </body></html>
        """)
    )
    return page


def test_leaflet_comes_from_the_python_package_and_tiles_are_refused(open_map_with_cdn: MapOpener, tmp_path: Path) -> None:
    page = open_map_with_cdn(
        write_page(
            tmp_path,
            """<script>
        const map = L.map("map").setView([0, 0], 1);
        L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png").addTo(map);
        </script>""",
        )
    )
    page.wait_for_function(f"[...document.images].some(i => i.src === {TILE!r})")
    assert page.evaluate("window.L.version") == "1.9.3"
    # The stylesheet applied: Leaflet's CSS makes the container clip overflow.
    assert page.evaluate("getComputedStyle(document.getElementById('map')).overflow") == "hidden"
    assert f"{LEAFLET}.js" in open_map_with_cdn.served and f"{LEAFLET}.css" in open_map_with_cdn.served
    assert TILE in open_map_with_cdn.aborted
    # The refused tiles' "Failed to load resource" console errors are forgiven.
    assert open_map_with_cdn.page_errors() == []


def test_without_serve_cdn_leaflet_and_files_beside_the_page_are_refused(open_map: MapOpener, tmp_path: Path) -> None:
    (tmp_path / "beside.js").write_text("window.beside = true;")
    page = open_map(write_page(tmp_path, "", head='<script src="beside.js"></script>'))
    assert page.evaluate("typeof window.L") == "undefined"
    assert page.evaluate("window.beside === undefined")
    assert (tmp_path / "beside.js").as_uri() in open_map.aborted
    errors = "\n".join(open_map.page_errors())
    assert "leaflet.js" in errors and "beside.js" in errors  # a refused script is an error
    open_map.errors.clear()


def test_tiles_are_answered_when_asked(open_map_with_tiles: MapOpener, tmp_path: Path) -> None:
    page_path = tmp_path / "tile.html"
    page_path.write_text(f'<img id="t" src="{TILE}">')
    page = open_map_with_tiles(page_path)
    page.wait_for_function("document.getElementById('t').complete")
    assert page.evaluate("document.getElementById('t').naturalWidth") == 256
    assert open_map_with_tiles.served == [TILE]


def test_thrown_error_is_reported(open_map: MapOpener, tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text('<script>throw new Error("x")</script>')
    open_map(page)
    errors = open_map.page_errors()
    assert len(errors) == 1 and "uncaught Error: x" in errors[0], errors
    open_map.errors.clear()  # expected: don't let teardown fail this test


def test_teardown_fails_a_test_whose_page_throws(tmp_path: Path) -> None:
    """Run a throwing page in a child pytest and check the run really fails."""
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    # The child's conftest loads the real one by path, under another name.
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(f"""\
        import importlib.util
        spec = importlib.util.spec_from_file_location("harness", {HARNESS!r})
        harness = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(harness)
        browser, open_map = harness.browser, harness.open_map
        """)
    )
    (tmp_path / "test_throws.py").write_text(
        textwrap.dedent("""\
        def test_throws(open_map, tmp_path):
            page = tmp_path / "p.html"
            page.write_text('<script>throw new Error("boom")</script>')
            open_map(page)
        """)
    )
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
         "-c", str(tmp_path / "pytest.ini"), str(tmp_path)],
        check=False, capture_output=True, text=True, cwd=tmp_path, timeout=300,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 passed, 1 error" in run.stdout, run.stdout
    assert "1 JavaScript error(s) on the page: uncaught Error: boom" in run.stdout
