"""Every command through click's CliRunner, as a user would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_build_writes_the_map(runner: CliRunner, places: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "map.html"
    result = runner.invoke(main, ["build", str(places), "-o", str(out)])
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert "Heraqla" in html and 't.version="1.9.3"' in html  # Leaflet itself, inlined
    assert "user-scalable=no" not in html
    for unused in ("jquery", "bootstrap", "awesome-markers", "fontawesome"):
        assert unused not in html.lower()
    assert f"wrote {out}" in result.stderr


def test_a_failed_build_leaves_the_previous_map_intact(runner: CliRunner, places: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    assert runner.invoke(main, ["build", str(places), "-o", str(out)]).exit_code == 0
    before = out.read_bytes()
    places.write_text(places.read_text().replace("point: [35.95689, 38.93306]", "point: [95.95689, 38.93306]"))
    result = runner.invoke(main, ["build", str(places), "-o", str(out)])
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(places.read_text().splitlines(), 1) if "95.95689" in text)
    assert result.stderr.strip().splitlines() == [
        f"geo: error: {places}:{line}: place 'Heraqla', point, latitude: 95.95689 is out of range; "
        "latitudes run from -90 to 90; points are written [lat, lon]"
    ]
    assert "Traceback" not in result.output
    assert out.read_bytes() == before
    assert [p.name for p in out.parent.iterdir() if p.name.endswith(".tmp")] == []


def test_broken_yaml_is_one_line_with_the_line_number(runner: CliRunner, tmp_path: Path) -> None:
    bad = tmp_path / "places.yaml"
    bad.write_text("title: T\nplaces:\n  - name: A\n    point: [1, 2\n")
    result = runner.invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"geo: error: {bad}:5: not valid YAML")
    assert len(result.stderr.strip().splitlines()) == 1


def test_check_lists_every_place_and_the_article_figure(runner: CliRunner, places: Path) -> None:
    result = runner.invoke(main, ["check", str(places)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    division = next(line for line in lines if line.startswith("Division 17 base\t"))
    assert division.split("\t")[1:4] == ["Point", "36.00094, 39.00788", "approximate ±2.5 km"]
    assert "2 km at 0° from the edge of Raqqa" in division
    assert any(line.startswith("Mosul\tPoint\t36.33500, 43.11889\texact\t") for line in lines)
    assert any("the geometry gives 3.4 km from the edge of Raqqa" in line for line in lines)
    assert "21 of 21 places resolved" in result.stderr


def test_check_exits_1_when_a_name_cannot_be_placed(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n  - name: Qwxzvbnm Unknownville\n")
    result = runner.invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert "A\tPoint" in result.stdout
    assert f"{path}:5: place 'Qwxzvbnm Unknownville'" in result.stderr


def test_build_draws_the_rest_when_a_name_is_unknown_and_strict_fails(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text("title: T\nplaces:\n  - name: A\n    point: [1, 2]\n  - name: Qwxzvbnm Unknownville\n")
    out = tmp_path / "map.html"
    result = runner.invoke(main, ["build", str(path), "-o", str(out)])
    assert result.exit_code == 0
    assert "warning" in result.stderr and "left off the map" in result.stderr
    assert '"name":"A"' in out.read_text()
    out.unlink()
    result = runner.invoke(main, ["build", str(path), "-o", str(out), "--strict"])
    assert result.exit_code == 1 and not out.exists()


def test_export_is_rfc7946_geojson(runner: CliRunner, places: Path, tmp_path: Path) -> None:
    result = runner.invoke(main, ["export", str(places)])
    assert result.exit_code == 0, result.stderr
    collection = json.loads(result.stdout)
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["name"]: f for f in collection["features"]}
    assert features["Heraqla"]["geometry"] == {"type": "Point", "coordinates": [38.93306, 35.95689]}
    props = features["Division 17 base"]["properties"]
    assert props["precision"] == "approximate" and props["radius_km"] == 2.5
    assert props["layer"] == "Raqqa front" and props["kind"] == "base"
    assert set(features["Raqqa"]["properties"]) >= {"name", "aliases", "kind", "precision", "notes", "events", "sources", "layer"}
    assert features["Raqqa"]["properties"]["events"][0] == {
        "date": "2017-06-05",
        "text": features["Raqqa"]["properties"]["events"][0]["text"],
    }
    ring = features["De-confliction zone"]["geometry"]["coordinates"][0]
    signed = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))
    assert signed > 0, "outer rings wind counter-clockwise"
    out = tmp_path / "places.geojson"
    assert runner.invoke(main, ["export", str(places), "-o", str(out)]).exit_code == 0
    assert json.loads(out.read_text()) == collection


def test_an_internal_error_is_one_line_and_debug_shows_the_traceback(
    runner: CliRunner, places: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import geo.webmap

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(geo.webmap, "render", broken)
    out = tmp_path / "map.html"
    result = runner.invoke(main, ["build", str(places), "-o", str(out)])
    assert result.exit_code == 70
    assert result.stderr.splitlines()[-1].startswith("geo: internal error: RuntimeError: boom")
    assert "--debug" in result.stderr and "Traceback" not in result.stderr
    result = runner.invoke(main, ["--debug", "build", str(places), "-o", str(out)])
    assert isinstance(result.exception, RuntimeError)


def test_python_dash_m_geo_runs() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "geo", "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("geo, version")


def test_open_with_no_browser_says_where_the_page_is(
    runner: CliRunner, places: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import webbrowser

    monkeypatch.setattr(webbrowser, "open", lambda url, *args, **kwargs: False)  # a machine with no browser
    out = tmp_path / "map.html"
    article = tmp_path / "article.txt"
    article.write_text("Fighters advanced on Raqqa and on Heraqla.\n", encoding="utf-8")
    result = runner.invoke(main, ["open", str(places), "-o", str(out), "--article", str(article), "--offline"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == f"geo: open {out.resolve().as_uri()} in a browser"
    assert "Fighters advanced on Raqqa" in out.read_text(encoding="utf-8")  # --article reached the page
