"""``geo export`` to KML and CSV, each file read back as Google Earth, QGIS or a spreadsheet would."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastkml import KML, Placemark
from lxml import etree
from shapely.geometry import shape
from shapely.wkt import loads as wkt_loads

from geo.cli import main

ROOT = Path(__file__).resolve().parents[1]

HOSTILE = """\
title: "Fort <b>&amp;</b> \\"Co\\""
layers:
  a:
    title: "Layer <i>one</i>"
places:
  - name: "<b>Fort</b> & \\"Co\\""
    kind: base
    layer: a
    point: [34.5, 36.25]
    notes: "<script>alert(1)</script> & ]]> done"
    events:
      - date: 2020-01-02
        text: "=HYPERLINK(\\"http://x\\")"
    sources: ["a <source>"]
  - name: "=1+1"
    kind: river
    line: [[34.0, 36.0], [34.5, 36.5], [35.0, 36.2]]
  - name: Square
    kind: zone
    polygon: [[34.0, 37.0], [34.0, 37.5], [34.5, 37.5], [34.5, 37.0]]
"""


@pytest.fixture()
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE, encoding="utf-8")
    return path


def geojson_features(runner: CliRunner, places: Path) -> dict[str, dict]:
    result = runner.invoke(main, ["export", str(places)])
    assert result.exit_code == 0, result.stderr
    return {f["properties"]["name"]: f for f in json.loads(result.stdout)["features"]}


def placemarks(document: object) -> list[tuple[str, Placemark]]:
    """(folder name, placemark) for every placemark under the document's folders."""
    return [(folder.name, mark) for folder in document.features for mark in folder.features]


def test_kml_reads_back_with_every_place_in_its_layer_folder_with_its_geometry(
    runner: CliRunner, places: Path, tmp_path: Path
) -> None:
    features = geojson_features(runner, places)
    out = tmp_path / "places.kml"
    result = runner.invoke(main, ["export", str(places), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    document = KML.from_string(out.read_bytes()).features[0]
    assert document.name == "US-backed force gains ground on ISIS in Syria's Raqqa"
    marks = placemarks(document)
    assert sorted(mark.name for _, mark in marks) == sorted(features)
    for folder, mark in marks:
        feature = features[mark.name]
        assert folder == feature["properties"]["layer"]
        assert shape(mark.geometry.__geo_interface__).equals_exact(shape(feature["geometry"]), 1e-9), mark.name
    by_name = {mark.name: mark for _, mark in marks}
    heraqla = by_name["Heraqla"]
    assert heraqla.geometry.__geo_interface__["coordinates"][:2] == (38.93306, 35.95689), "(lon, lat) order"
    assert by_name["Euphrates"].geometry.geom_type == "LineString"
    assert by_name["De-confliction zone"].geometry.geom_type == "Polygon"
    styles = {style.id for style in document.styles}
    for _, mark in marks:
        kind = features[mark.name]["properties"]["kind"]
        unverified = features[mark.name]["properties"]["unverified"]
        assert mark.style_url.url == ("#unverified" if unverified else f"#kind-{kind}")
        assert mark.style_url.url[1:] in styles
    raqqa = by_name["Raqqa"]
    assert "Islamic State group" in raqqa.description and "2017-06-06" in raqqa.description
    assert "AFP, 7 June 2017" in raqqa.description and "confidence 1.00" in raqqa.description
    data = {d.name: d.value for d in by_name["Division 17 base"].extended_data.elements}
    assert data["kind"] == "base" and data["precision"] == "approximate" and data["radius_km"] == "2.5"
    hidden = {folder.name: folder.visibility for folder in document.features}
    assert hidden["Countries and capitals"] is False and hidden["Raqqa front"] is True


def test_kml_escapes_every_value_of_the_place_list(runner: CliRunner, hostile: Path, tmp_path: Path) -> None:
    out = tmp_path / "hostile.kml"
    result = runner.invoke(main, ["export", str(hostile), "--format", "kml", "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    tree = etree.fromstring(out.read_bytes())  # well-formed XML, whatever the names hold
    assert tree.tag == "{http://www.opengis.net/kml/2.2}kml"
    document = KML.from_string(out.read_bytes()).features[0]
    assert document.name == 'Fort <b>&amp;</b> "Co"'
    (_, fort), (_, river), (_, square) = placemarks(document)
    assert fort.name == '<b>Fort</b> & "Co"'
    assert fort.geometry.__geo_interface__["coordinates"][:2] == (36.25, 34.5)
    # The balloon is HTML: the place list's text appears in it as text, never as markup.
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; ]]&gt; done" in fort.description
    assert "<script>" not in fort.description and "&lt;source&gt;" in fort.description
    assert river.name == "=1+1" and river.geometry.__geo_interface__["coordinates"][0][:2] == (36.0, 34.0)
    assert square.geometry.geom_type == "Polygon"


def test_csv_reads_back_with_every_place_its_anchor_and_geometry(
    runner: CliRunner, places: Path, tmp_path: Path
) -> None:
    features = geojson_features(runner, places)
    out = tmp_path / "places.csv"
    result = runner.invoke(main, ["export", str(places), "-o", str(out)])
    assert result.exit_code == 0, result.stderr
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode()), "a byte-order mark, so that Excel reads UTF-8"
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b""), "RFC 4180 row ends, even inside notes"
    with out.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["name", "kind", "layer", "lat", "lon", "precision", "radius_km", "confidence",
                             "unverified", "source", "reference", "origin", "notes", "events", "wkt"]  # fmt: skip
    assert sorted(row["name"] for row in rows) == sorted(features)
    for row in rows:
        feature = features[row["name"]]
        assert row["kind"] == feature["properties"]["kind"] and row["layer"] == feature["properties"]["layer"]
        assert wkt_loads(row["wkt"]).equals_exact(shape(feature["geometry"]), 1e-6), row["name"]
    by_name = {row["name"]: row for row in rows}
    assert (float(by_name["Heraqla"]["lat"]), float(by_name["Heraqla"]["lon"])) == (35.95689, 38.93306)
    base = by_name["Division 17 base"]
    assert base["precision"] == "approximate" and float(base["radius_km"]) == 2.5
    assert "Islamic State group" in by_name["Raqqa"]["notes"] and "AFP, 7 June 2017" in by_name["Raqqa"]["source"]
    looked_up = [row for row in rows if row["reference"]]
    assert looked_up and all(":" in row["reference"] for row in looked_up), "gazetteer references such as geonames:…"
    assert all(0 < float(row["confidence"]) <= 1 for row in rows)


def test_csv_text_is_quoted_and_never_a_formula(runner: CliRunner, hostile: Path) -> None:
    result = runner.invoke(main, ["export", str(hostile), "--format", "csv"])
    assert result.exit_code == 0, result.stderr
    assert not result.stdout.startswith("\ufeff"), "no byte-order mark in a pipe"
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [row["name"] for row in rows] == ['<b>Fort</b> & "Co"', "'=1+1", "Square"]
    assert rows[0]["events"] == '2020-01-02: =HYPERLINK("http://x")', "inside a cell a formula is text already"
    assert rows[0]["notes"].startswith("<script>")
    assert wkt_loads(rows[1]["wkt"]).geom_type == "LineString"


@pytest.mark.parametrize("name", ["places.txt", "places"])
def test_an_unknown_extension_is_one_line_naming_the_option(runner: CliRunner, places: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    out.write_text("earlier")
    result = runner.invoke(main, ["export", str(places), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [result.stderr.strip()] and "Traceback" not in result.output
    assert "-o" in result.stderr and ".kml" in result.stderr and ".csv" in result.stderr and ".geojson" in result.stderr
    assert out.read_text() == "earlier"


def test_an_unwritable_target_is_one_line_and_the_earlier_file_stays(
    runner: CliRunner, places: Path, tmp_path: Path
) -> None:
    out = tmp_path / "places.kml"
    out.write_text("earlier")
    out.chmod(0o444)
    result = runner.invoke(main, ["export", str(places), "-o", str(out)])
    assert result.exit_code == 1 and "read-only" in result.stderr
    assert result.stderr.strip().count("\n") == 0 and out.read_text() == "earlier"
    result = runner.invoke(main, ["export", str(places), "-o", str(out / "x.csv")])
    assert result.exit_code == 1 and result.stderr.startswith("geo: error:") and result.stderr.count("\n") == 1


@pytest.mark.parametrize("name", ["map.png", "map"])
def test_build_writes_only_a_page_and_says_so_for_another_extension(runner: CliRunner, places: Path, tmp_path: Path, name: str) -> None:
    out = tmp_path / name
    out.write_text("earlier")
    result = runner.invoke(main, ["build", str(places), "-o", str(out)])
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [result.stderr.strip()] and "Traceback" not in result.output
    assert "-o" in result.stderr and ".html" in result.stderr
    assert out.read_text() == "earlier"


def test_geojson_geometry_rounds_every_coordinate_as_python_rounds() -> None:
    """Rounded in bulk, coordinates are still exactly ``round(x, 6)``: halves and negative zeros included."""
    import random

    from shapely.geometry import GeometryCollection, LineString, MultiLineString, MultiPoint, MultiPolygon, Point, Polygon, mapping

    from shapely.wkt import loads as from_wkt

    from geo.geojson import COORDINATE_DIGITS, geometry

    def by_python(value: object) -> object:
        if isinstance(value, float):
            return round(value, COORDINATE_DIGITS)
        if isinstance(value, dict):
            return {key: by_python(item) for key, item in value.items()}
        if isinstance(value, (tuple, list)):
            return [by_python(item) for item in value]
        return value

    rng = random.Random(12)
    halves = [k / 1e6 + 5e-7 for k in range(-3000, 3000, 7)] + [39.0078855, -0.0000005, 0.0000015, 179.9999995, -89.9999985]
    wild = [rng.uniform(-180.0, 180.0) for _ in range(3000)] + [-1e-9, 0.0, -0.0, 1e12, -7e15, 5.0]
    numbers = halves + wild
    line = LineString(list(zip(numbers[0::2], numbers[1::2])))
    square = Polygon([(0.1234565, 0.0), (1.0, 0.0000025), (1.0, 1.0), (0.0, 1.0)], [[(0.2, 0.2), (0.4, 0.2), (0.4, 0.4)]])
    shapes = [line, Point(-0.0000005, 39.0078855), square, MultiPolygon([square, Polygon([(5, 5), (6, 5), (6, 6)])]),
              GeometryCollection([Point(1.0000005, 2), line, square]), Point(), Polygon(),
              MultiLineString([line, [(0.0000035, 1), (2, 3)]]), MultiPoint([(0.0000045, 1), (2, 3)]),
              MultiPolygon([Polygon([(5, 5), (6, 5), (6, 6)]), square, Polygon([(7, 7), (8, 7.0000055), (8, 8)])]),
              GeometryCollection([from_wkt("MULTIPOLYGON (EMPTY, ((0 0, 1 0, 1 1.0000005, 0 0)))")]),
              from_wkt("MULTILINESTRING (EMPTY, (0 0, 1 1.0000005))")]
    for shape in shapes:
        expected = json.dumps(by_python(mapping(geometry_oriented(shape))))
        assert json.dumps(geometry(shape)) == expected


def geometry_oriented(shape: object) -> object:
    """The shape with its outer rings counter-clockwise, as GeoJSON has them."""
    from shapely.geometry.polygon import orient

    kind = getattr(shape, "geom_type", "")
    if kind == "Polygon":
        return orient(shape, 1.0)
    if kind == "MultiPolygon":
        return type(shape)([orient(part, 1.0) for part in shape.geoms])
    return shape
