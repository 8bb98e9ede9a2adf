"""examples/raqqa.ipynb run by a real Jupyter kernel, as a reader would run it, and its outputs checked."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from gazetteer_fixture import use_test_index
from nbclient import NotebookClient

import geo

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "examples" / "raqqa.ipynb"


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[nbformat.NotebookNode, Path]:
    """The notebook executed in a copy of the project's layout (examples/ beside places.yaml)."""
    use_test_index()  # sets GEO_CACHE_DIR, which the kernel inherits
    folder = tmp_path_factory.mktemp("notebook")
    shutil.copy(ROOT / "places.yaml", folder / "places.yaml")
    (folder / "examples").mkdir()
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("PYTHONPATH", str(ROOT))  # this checkout's geo, in the kernel too
        NotebookClient(notebook, timeout=300, kernel_name="python3",
                       resources={"metadata": {"path": str(folder / "examples")}}).execute()  # fmt: skip
    return notebook, folder / "examples"


def _outputs(notebook: nbformat.NotebookNode, first_line: str) -> list[nbformat.NotebookNode]:
    """The outputs of the code cell whose first line is ``first_line``; it raised nothing."""
    cell = next(c for c in notebook.cells if c.cell_type == "code" and c.source.split("\n")[0] == first_line)
    assert not [o for o in cell.outputs if o.output_type == "error"]
    return cell.outputs


def _map_page(outputs: list[nbformat.NotebookNode]) -> str:
    shown = next(o for o in outputs if o.output_type == "execute_result")
    frame = re.search(r'<iframe srcdoc="([^"]*)"', shown.data["text/html"])
    assert frame is not None, "the story is not shown as a map"
    return html.unescape(frame.group(1))


def test_the_story_shows_its_map_inline_with_every_place(run) -> None:
    notebook, _ = run
    page = _map_page(_outputs(notebook, "import geo"))
    expected = geo.load(ROOT / "places.yaml")
    for place in expected.places:
        assert f'"name":{json.dumps(place.name, ensure_ascii=False)}' in page


def test_the_moved_place_carries_its_zone_and_the_exports_are_written(run) -> None:
    notebook, folder = run
    (moved,) = _outputs(notebook, 'moved = story.move("Al-Tanaf garrison", 33.6, 38.7)')
    assert moved.data["text/plain"] == "(33.6, 38.7, 'geodesic buffer of 55 km around Al-Tanaf garrison')"
    assert '"anchor":[33.6,38.7]' in _map_page(_outputs(notebook, "moved"))
    exported = _outputs(notebook, "from shapely.geometry import shape")
    printed = "".join(o.get("text", "") for o in exported)
    assert printed.split() == ["output/raqqa.html", "output/raqqa.geojson", "output/places.yaml"]
    assert exported[-1].data["text/plain"] == "('Polygon', True)"
    features = json.loads((folder / "output" / "raqqa.geojson").read_text())["features"]
    garrison = next(f for f in features if f["properties"]["name"] == "Al-Tanaf garrison")
    assert len(features) == 21 and garrison["geometry"]["coordinates"] == [38.7, 33.6]
    assert geo.load(folder / "output" / "places.yaml").place("Al-Tanaf garrison").lat == 33.6
    assert "Al-Tanaf garrison" in (folder / "output" / "raqqa.html").read_text()
