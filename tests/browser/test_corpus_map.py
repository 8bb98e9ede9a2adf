"""geo corpus map: the page of a mentions file, opened offline in Chromium; its slider and popups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from gazetteer_fixture import use_test_index

from geo import corpus
from geo.cli import main

PAYLOAD = "<img src=x onerror=alert(1)> {{ 7*7 }} </script><script>alert(2)</script>"
WIRE = [
    {"id": "w1", "date": "2017-06-01", "title": "Fighting near Raqqa", "text": "Fighters advanced on Raqqa on Monday."},
    {"id": "w2", "date": "2017-06-05", "title": f"Aid {PAYLOAD}", "text": f"Aid reached Mosul, officials said. {PAYLOAD}"},
    {"id": "w3", "date": "2017-06-09", "title": "Raqqa again", "text": "Shelling hit Raqqa and Mosul overnight."},
    {"id": "w4", "title": "Undated", "text": "Talks resumed in Geneva."},
]


@pytest.fixture(scope="module")
def mentions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    use_test_index()
    folder = tmp_path_factory.mktemp("corpus")
    wire = folder / "wire.jsonl"
    wire.write_text("".join(json.dumps(record) + "\n" for record in WIRE), encoding="utf-8")
    out = folder / "mentions.parquet"
    corpus.extract([wire], out, workers=0)
    return out


def _page(mentions: Path, *options: str) -> Path:
    page = mentions.with_name("corpus.html")
    done = CliRunner().invoke(main, ["corpus", "map", str(mentions), "-o", str(page), *options])
    assert done.exit_code == 0, done.output
    return page


def _shown(page) -> dict[str, int]:
    """The places drawn and their article counts, after the next frame (the slider redraws once per frame)."""
    return page.evaluate("new Promise(r => requestAnimationFrame(() => r(Object.fromEntries("
                         "geoCorpus.places.filter(p => p.count).map(p => [p.name, p.count])))))")  # fmt: skip


def test_the_slider_walks_the_story_through_its_dates(mentions: Path, open_map) -> None:
    page = open_map(_page(mentions))
    page.wait_for_function("window.geoCorpus && geoCorpus.ready")
    assert open_map.aborted == []  # everything the page needs is in it
    assert page.evaluate("geoCorpus.days") == ["2017-06-01", "2017-06-05", "2017-06-09"]
    assert _shown(page) == {"Raqqa": 2, "Mosul": 2}  # up to the last day: the undated article is left out
    slider = page.locator(".corpus-slider")
    slider.fill("0")
    assert _shown(page) == {"Raqqa": 1}
    assert page.locator(".corpus-day").inner_text() == "up to 2017-06-01"
    slider.fill("1")
    page.locator(".corpus-window").select_option("7")
    assert _shown(page) == {"Raqqa": 1, "Mosul": 1}
    slider.fill("2")
    page.locator(".corpus-window").select_option("1")
    assert _shown(page) == {"Raqqa": 1, "Mosul": 1}
    page.locator(".corpus-window").select_option("all")
    assert _shown(page) == {"Raqqa": 2, "Mosul": 2, "Geneva": 1}
    assert page.locator("body").get_attribute("data-places-shown") == "3"


def test_popups_list_the_articles_as_text(mentions: Path, open_map) -> None:
    page = open_map(_page(mentions))
    page.wait_for_function("window.geoCorpus && geoCorpus.ready")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    x, y = page.evaluate("(() => { const p = geoCorpus.places.find(p => p.name === 'Mosul');"
                         " const c = geoCorpus.map.latLngToContainerPoint([p.lat, p.lon]); return [c.x, c.y]; })()")  # fmt: skip
    page.mouse.click(x, y)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    assert "Mosul" in text and "2 articles" in text
    assert f"Aid {PAYLOAD}" in text and "2017-06-05" in text and "Shelling hit Raqqa and Mosul overnight." in text
    assert page.locator("img[src=x]").count() == 0 and dialogs == [] and "49" not in text


def test_from_and_to_leave_out_the_other_articles(mentions: Path, open_map) -> None:
    page = open_map(_page(mentions, "--from", "2017-06-02", "--to", "2017-06-09"))
    page.wait_for_function("window.geoCorpus && geoCorpus.ready")
    page.locator(".corpus-window").select_option("all")
    assert _shown(page) == {"Raqqa": 1, "Mosul": 2}
