"""The Python API as a notebook user meets it: geo.load, geo.extract, geo.lookup and Story.

Each result is compared with what the command line gives for the same input, run as
a real `geo` process: the library and the CLI must be one pipeline.
"""

from __future__ import annotations

import doctest
import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import folium
import pytest
from gazetteer_fixture import use_test_index
from shapely.geometry import shape

import geo
import geo.api
from geo import placelist
from geo.errors import GeoError, OutputError, PlaceListError, ResolutionError

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "places.yaml"

ARTICLE = """\
Floods cut roads around Lyon as the Rhone rises

LYON, France (Reuters) - The Rhone burst its banks south of Lyon on Monday, and rescuers
evacuated homes in Vienne and Valence. Trains between Lyon and Marseille were halted,
officials in Paris said. Further north, Geneva in Switzerland closed the lake's quays.
"""
"""An article written for this test, not one the extractor was developed on."""


@pytest.fixture(scope="module", autouse=True)
def index() -> None:
    use_test_index()


@pytest.fixture(scope="module")
def story() -> geo.Story:
    return geo.load(PLACES)


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "geo", *args], check=False, capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=300)  # fmt: skip


@pytest.mark.parametrize("module", [geo, geo.api], ids=["geo", "geo.api"])
def test_the_docstring_examples_run(module, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples read places.yaml, as from the project's root
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_all_lists_the_public_names_and_each_is_there() -> None:
    assert {"load", "extract", "lookup", "Story", "Place", "Problem", "GeoError"} <= set(geo.__all__)
    for name in geo.__all__:
        assert getattr(geo, name) is not None
    assert set(geo.__all__) <= set(dir(geo))


def test_import_geo_loads_nothing_heavy() -> None:
    code = "import sys, geo; print(sorted(m for m in sys.modules if m.split('.')[0] in ('folium', 'shapely', 'geo')))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}).stdout  # fmt: skip
    assert loaded.strip() == "['geo']"


def test_geo_extract_stays_the_function_once_the_extractor_package_is_imported() -> None:
    import geo.extract.core  # the import system would set geo.extract to the package

    assert callable(geo.extract) and geo.extract is geo.api.extract


def test_load_gives_every_place_with_the_coordinates_of_its_source(story: geo.Story) -> None:
    listed = placelist.load(PLACES)
    assert [p.name for p in story.places] == [p.name for p in listed.places] and len(story.places) == 21
    for place in listed.places:
        found = story.place(place.name)
        if isinstance(place.placement, placelist.Point):
            assert (found.lat, found.lon) == place.placement.latlon and found.origin == "given in the place list"
        if isinstance(place.placement, placelist.Ref):
            assert found.ref == place.placement.ref
    mosul = story.place("Mosul")
    assert mosul.ref == "geonames:99072" and (round(mosul.lat, 3), round(mosul.lon, 3)) == (36.335, 43.119)
    assert story.place("Division 17 base").precision == "approximate" and story.problems == ()


def test_the_places_are_what_geo_check_prints(story: geo.Story) -> None:
    result = run("check", str(PLACES))
    assert result.returncode == 0, result.stderr
    for line, place in zip(result.stdout.splitlines(), story.places, strict=False):
        name, kind, latlon, *_ = line.split("\t")
        assert (name, kind, latlon) == (place.name, place.geometry.geom_type, f"{place.lat:.5f}, {place.lon:.5f}")


def test_text_with_a_line_break_is_yaml_and_a_string_without_one_is_a_path(tmp_path: Path) -> None:
    text = "title: Two places\nplaces:\n  - name: Home\n    point: [51.5, -0.12]\n  - name: Work\n    point: [51.52, -0.1]\n"
    assert [p.name for p in geo.load(text).places] == ["Home", "Work"]
    (tmp_path / "two.yaml").write_text(text)
    assert geo.load(str(tmp_path / "two.yaml")).to_yaml() == text


def test_a_bad_place_list_raises_with_file_line_and_fix(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: x\nplaces:\n  - name: A\n    point: [95, 10]\n")
    with pytest.raises(PlaceListError) as caught:
        geo.load(bad)
    assert caught.value.path == bad and caught.value.line == 4 and caught.value.fix
    cli = run("check", str(bad))
    assert cli.returncode == 1 and cli.stderr == f"geo: error: {caught.value}\n"


def test_an_unknown_name_is_a_problem_and_strict_raises_it(tmp_path: Path) -> None:
    text = "title: x\nplaces:\n  - name: Qwxzqv Town\n  - name: Raqqa\n    point: [35.95, 39.01]\n"
    story = geo.load(text)
    assert [p.name for p in story.places] == ["Raqqa"]
    (problem,) = story.problems
    assert (problem.name, problem.line, problem.kind) == ("Qwxzqv Town", 3, "not placed")
    with pytest.raises(ResolutionError, match="Qwxzqv Town"):
        geo.load(text, strict=True)


def test_the_map_is_a_folium_map_that_jupyter_shows_with_every_place(story: geo.Story) -> None:
    assert isinstance(story.map(), folium.Map)
    inline = re.search(r'<iframe srcdoc="([^"]*)"', story._repr_html_())
    assert inline is not None
    page = html.unescape(inline.group(1))
    assert page == story.to_html()  # the page `geo build` writes, in the notebook's frame
    for place in story.places:
        assert f'"name":{json.dumps(place.name, ensure_ascii=False)}' in page


def test_geo_interface_is_what_geo_export_writes_and_shapely_reads_it(story: geo.Story) -> None:
    exported = run("export", str(PLACES))
    assert exported.returncode == 0, exported.stderr
    assert story.to_geojson() == exported.stdout
    features = story.__geo_interface__["features"]
    assert json.loads(exported.stdout)["features"] == features
    for feature, place in zip(features, story.places, strict=True):
        assert shape(feature["geometry"]).equals_exact(place.geometry, 1e-6)


def test_to_geodataframe_gives_the_frame(story: geo.Story) -> None:
    import geopandas

    frame = story.to_geodataframe()
    assert isinstance(frame, geopandas.GeoDataFrame) and list(frame["name"]) == [p.name for p in story.places]
    assert frame.crs == "EPSG:4326"


def test_to_geodataframe_without_geopandas_says_how_to_install_it(
    story: geo.Story, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "geopandas", None)  # what an environment without geopandas gives import
    with pytest.raises(GeoError, match="pip install geopandas"):
        story.to_geodataframe()


def test_save_writes_by_extension_what_the_commands_write(story: geo.Story, tmp_path: Path) -> None:
    built = run("build", str(PLACES), "-o", str(tmp_path / "built.html"))
    assert built.returncode == 0, built.stderr
    assert story.save(tmp_path / "map.html").read_text() == (tmp_path / "built.html").read_text()
    assert story.save(tmp_path / "places.GEOJSON").read_text() == story.to_geojson()
    assert story.save(tmp_path / "copy.yaml").read_text() == PLACES.read_text()
    assert geo.load(tmp_path / "copy.yaml").places == story.places
    for name in ("places.kml", "places.csv", "map.svg"):
        command = "render" if name.endswith(".svg") else "export"
        written = run(command, str(PLACES), "-o", str(tmp_path / f"cli-{name}"))
        assert written.returncode == 0, written.stderr
        assert story.save(tmp_path / name).read_bytes() == (tmp_path / f"cli-{name}").read_bytes()


def test_save_to_an_unknown_extension_names_the_ones_it_writes(story: geo.Story, tmp_path: Path) -> None:
    with pytest.raises(OutputError) as caught:
        story.save(tmp_path / "map.docx")
    message = str(caught.value)
    assert "\n" not in message and ".docx" in message
    assert all(extension in message for extension in geo.api.WRITERS)
    assert not (tmp_path / "map.docx").exists()


def test_move_edits_the_place_list_keeping_its_comments(story: geo.Story, tmp_path: Path) -> None:
    moved = story.move("Al-Tanaf garrison", 33.6, 38.7)
    garrison, zone = moved.place("Al-Tanaf garrison"), moved.place("De-confliction zone")
    assert (garrison.lat, garrison.lon) == (33.6, 38.7) and zone.geometry.contains(garrison.geometry)
    assert story.place("Al-Tanaf garrison").lat != 33.6  # the story itself is unchanged
    text = moved.to_yaml()
    assert "point: [33.6, 38.7]" in text and text.count("\n#") == PLACES.read_text().count("\n#")
    saved = moved.save(tmp_path / "places.yaml")
    assert run("check", str(saved)).stdout.count("33.60000, 38.70000") == 2


def test_extract_writes_the_draft_geo_extract_writes(tmp_path: Path) -> None:
    article = tmp_path / "floods.txt"
    article.write_text(ARTICLE)
    cli = run("extract", str(article), "--date", "2024-10-14")
    assert cli.returncode == 0, cli.stderr
    import datetime as dt

    story = geo.extract(ARTICLE, dt.date(2024, 10, 14), source=str(article))
    assert story.to_yaml() == cli.stdout
    names = [p.name for p in story.places]
    assert names == [p.name for p in placelist.parse(cli.stdout).places if p.name in names]
    assert {"Lyon", "Vienne", "Valence", "Marseille", "Geneva"} <= set(names)
    lyon = story.place("Lyon")
    assert lyon.ref is not None and abs(lyon.lat - 45.76) < 0.05 and abs(lyon.lon - 4.84) < 0.05
    assert "Rhone" in story.to_html()  # the popups quote the article


def test_lookup_gives_what_geo_resolve_prints() -> None:
    cli = run("resolve", "Paris", "--near", "Tyler", "--json", "--candidates", "2")
    assert cli.returncode == 0, cli.stderr
    printed = [json.loads(line)["ref"] for line in cli.stdout.splitlines()]
    assert [m.ref for m in geo.lookup("Paris", near=["Tyler"], candidates=2)] == printed
    tyler = geo.lookup("Tyler")[0]
    assert [m.ref for m in geo.lookup("Paris", near=[(tyler.lat, tyler.lon)], candidates=2)] == printed
    assert geo.lookup("Qwxzqv") == []
    with pytest.raises(ResolutionError, match="Qwxzqv"):
        geo.lookup("Paris", near=["Qwxzqv"])


def test_the_cli_turns_an_api_error_into_one_line(tmp_path: Path) -> None:
    copy = tmp_path / "places.yaml"
    shutil.copy(PLACES, copy)
    result = run("build", str(copy), "-o", str(tmp_path / "map.html"), "--strict")
    assert result.returncode == 0, result.stderr
    copy.write_text(copy.read_text().replace("  - name: Hazima\n", "  - name: Hazima\n    ref: geonames:0\n", 1))
    result = run("build", str(copy), "-o", str(tmp_path / "map.html"))
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and result.stderr.startswith("geo: error: ")
