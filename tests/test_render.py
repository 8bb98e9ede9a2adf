"""``geo render``: static maps as files a newsroom opens, checked as a person would check them."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from geo.cli import main

ROOT = Path(__file__).resolve().parents[1]
TITLE = "US-backed force gains ground on ISIS in Syria's Raqqa"
MAIN_LABELS = ("Raqqa", "Heraqla", "Division 17 base", "Al-Meshleb")
SVG = "{http://www.w3.org/2000/svg}"


def render(runner: CliRunner, places: Path, out: Path, *options: str) -> bytes:
    result = runner.invoke(main, ["render", str(places), "-o", str(out), *options])
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def svg_texts(path: Path) -> list[str]:
    return [text.text or "" for text in ET.parse(path).iter(f"{SVG}text")]


@pytest.mark.parametrize(("size", "expected"), [("social", (1200, 675)), ("square", (1080, 1080)), ("print", (3508, 2480)), ("640x360", (640, 360))])
def test_a_png_has_the_requested_size_and_shows_the_places(
    runner: CliRunner, places: Path, tmp_path: Path, size: str, expected: tuple[int, int]
) -> None:
    out = tmp_path / "map.png"
    render(runner, places, out, "--size", size)
    image = Image.open(out).convert("RGB")
    assert image.size == expected
    colours = image.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200, "not a blank or flat image"
    pixels = {colour for _, colour in colours}
    assert (0xC0, 0x39, 0x2B) in pixels, "a settlement's marker, in the page's colour"
    assert (0x2E, 0x86, 0xDE) in pixels, "the Euphrates, in the page's river colour"


def test_an_svg_keeps_text_as_text_and_each_layer_as_a_group(runner: CliRunner, places: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    render(runner, places, out)
    root = ET.parse(out).getroot()
    assert (root.get("width"), root.get("height")) == ("864pt", "486pt"), "1200×675 px at 100 dpi"
    texts = svg_texts(out)
    assert TITLE in texts and "AFP, 2017-06-07" in texts
    for label in MAIN_LABELS:
        assert label in texts
    assert "Legend" in texts and any(text.endswith(" km") for text in texts)
    assert any("Natural Earth" in text for text in texts), "credits"
    groups = {g.get("id") for g in root.iter(f"{SVG}g")}
    assert {"basemap", "layer-front", "layer-borders", "labels", "title", "legend", "scale-bar", "credits"} <= groups
    assert "layer-context" not in groups, "a layer the page opens hidden is not drawn"
    front = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "layer-front")
    assert len(list(front.iter(f"{SVG}path"))) >= 8, "the front's shapes and markers are in its group"


def test_a_print_pdf_is_a4_landscape_with_its_text_extractable(runner: CliRunner, places: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.pdf"
    render(runner, places, out, "--size", "print")
    page = PdfReader(out).pages[0]
    assert round(float(page.mediabox.width)) == 842 and round(float(page.mediabox.height)) == 595, "A4 landscape in points"
    text = page.extract_text()
    assert TITLE in text
    for label in MAIN_LABELS:
        assert label in text


def test_the_same_place_list_renders_the_same_bytes_in_another_process(
    runner: CliRunner, places: Path, tmp_path: Path
) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    for suffix in ("svg", "pdf", "png"):
        first = render(runner, places, tmp_path / f"a.{suffix}")
        command = [sys.executable, "-m", "geo", "render", str(places), "-o", str(tmp_path / f"b.{suffix}")]
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / f"b.{suffix}").read_bytes() == first, suffix


def test_labels_take_a_free_side_or_give_way(runner: CliRunner, tmp_path: Path) -> None:
    names = [f"Place number {n}" for n in range(1, 6)]
    points = "".join(f"  - name: {name}\n    point: [34.0, {36.0 + n * 1e-5}]\n" for n, name in enumerate(names))
    path = tmp_path / "places.yaml"
    far = "  - name: Far Place $x^2$ <b>&amp;</b>\n    point: [34.3, 36.4]\n  - name: Other Far Place\n    point: [33.7, 35.6]\n"
    path.write_text(f"title: Crowded\nplaces:\n{points}{far}", encoding="utf-8")
    out = tmp_path / "map.svg"
    render(runner, path, out)
    texts = svg_texts(out)
    assert "Far Place $x^2$ <b>&amp;</b>" in texts, "a name is text as written: no formula, no markup"
    assert sum(name in texts for name in names) == 4, "right, left, above and below the one spot; the fifth gives way"


def test_bounds_choose_the_view(runner: CliRunner, places: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    render(runner, places, out, "--bounds", "33.2,38.4,33.6,39.0")  # the Tanf garrison, 300 km south
    texts = svg_texts(out)
    assert "Raqqa" not in texts and "Al-Tanaf garrison" in texts


@pytest.mark.parametrize(
    ("options", "says"),
    [
        (["-o", "{dir}/map.jpg"], "-o"),
        (["-o", "{dir}/map.png", "--size", "huge"], "--size"),
        (["-o", "{dir}/map.png", "--size", "0x10"], "--size"),
        (["-o", "{dir}/map.png", "--bounds", "36,40,35,39"], "--bounds"),
    ],
)
def test_bad_options_are_one_line_and_the_earlier_file_stays(
    runner: CliRunner, places: Path, tmp_path: Path, options: list[str], says: str
) -> None:
    options = [option.format(dir=tmp_path) for option in options]
    target = Path(options[1])
    target.write_bytes(b"earlier")
    result = runner.invoke(main, ["render", str(places), *options])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("geo: error:") and says in result.stderr
    assert target.read_bytes() == b"earlier"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_an_unwritable_target_is_refused_before_any_work(runner: CliRunner, places: Path, tmp_path: Path) -> None:
    out = tmp_path / "map.pdf"
    out.write_bytes(b"earlier")
    out.chmod(0o444)
    result = runner.invoke(main, ["render", str(places), "-o", str(out)])
    assert result.exit_code == 1 and "read-only" in result.stderr and result.stderr.count("\n") == 1
    assert out.read_bytes() == b"earlier"


def test_without_matplotlib_the_error_names_the_extra(
    runner: CliRunner, places: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a))
    result = runner.invoke(main, ["render", str(places), "-o", str(tmp_path / "map.png")])
    assert result.exit_code == 1
    assert result.stderr == (
        "geo: error: a static map needs matplotlib, from geo's render extra: pip install 'geo[render]'\n"
    )


def test_an_unverified_place_is_marked_as_a_guess(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "places.yaml"
    path.write_text("title: T\ncountry: US\nplaces:\n  - name: Arlington\n    kind: city\n", encoding="utf-8")
    out = tmp_path / "map.svg"
    result = runner.invoke(main, ["render", str(path), "-o", str(out)])
    assert result.exit_code == 0 and "unverified" in result.stderr, "a name of many towns is a guess"
    texts = svg_texts(out)
    assert "Arlington (?)" in texts and any(text.startswith("Unverified (?)") for text in texts), "label and legend"
    marker = next(g for g in ET.parse(out).getroot().iter(f"{SVG}g") if g.get("id") == "layer-places")
    assert any("#c2185b" in (p.get("style") or "") for p in marker.iter(f"{SVG}path")), "drawn in the colour of guesses"


class TileServer:
    """A real tile server on 127.0.0.1: every tile one flat colour, each request counted."""

    COLOUR = (255, 0, 255)

    def __init__(self) -> None:
        import http.server
        import io
        import threading

        buffer = io.BytesIO()
        Image.new("RGB", (256, 256), self.COLOUR).save(buffer, format="PNG")
        tile, paths = buffer.getvalue(), []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                paths.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(tile)))
                self.end_headers()
                self.wfile.write(tile)

            def log_message(self, *args: object) -> None:
                pass

        self.paths = paths
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.template = f"http://127.0.0.1:{self.server.server_address[1]}/{{z}}/{{x}}/{{y}}.png"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture()
def tile_server() -> Iterator[TileServer]:
    server = TileServer()
    yield server
    server.close()


def test_tiles_replace_the_offline_basemap_when_asked_and_reachable(
    runner: CliRunner, places: Path, tmp_path: Path, tile_server: TileServer
) -> None:
    out = tmp_path / "map.png"
    render(runner, places, out, "--tiles", tile_server.template)
    zooms = {path.split("/")[1] for path in tile_server.paths}
    assert len(zooms) == 1 and 8 <= int(zooms.pop()) <= 13, "one zoom, close to the story"
    colours = {colour for _, colour in Image.open(out).convert("RGB").getcolors(maxcolors=1 << 20)}
    assert TileServer.COLOUR in colours and (0xC0, 0x39, 0x2B) in colours, "the places over the tiles"
    svg = tmp_path / "map.svg"
    render(runner, places, svg, "--tiles", tile_server.template)
    assert any(text.startswith("Tiles: 127.0.0.1") for text in svg_texts(svg)), "the tiles are credited"


def test_unreachable_tiles_leave_the_offline_basemap_with_a_warning(
    runner: CliRunner, places: Path, tmp_path: Path, tile_server: TileServer
) -> None:
    dead = tile_server.template
    tile_server.close()  # nothing listens there any more
    out = tmp_path / "map.png"
    result = runner.invoke(main, ["render", str(places), "-o", str(out), "--tiles", dead])
    assert result.exit_code == 0
    assert "geo: warning: the tiles could not be loaded" in result.stderr and "offline basemap" in result.stderr
    colours = {colour for _, colour in Image.open(out).convert("RGB").getcolors(maxcolors=1 << 20)}
    assert TileServer.COLOUR not in colours and (0xF4, 0xF1, 0xE8) in colours, "the offline basemap's land"
    result = runner.invoke(main, ["render", str(places), "-o", str(out), "--tiles", "topo"])
    assert result.exit_code == 1 and "--tiles 'topo'" in result.stderr and "street" in result.stderr
