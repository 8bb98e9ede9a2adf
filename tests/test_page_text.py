"""Text from a place list or an article reaches the page as data, never as template source.

folium pages are Jinja templates; a note or an article sentence that were read as
template source would run code on the machine of whoever builds the map. Every
text field here carries template syntax that would run a shell command, print 49,
or break the template, and the page must show each one literally.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo import placelist, webmap
from geo.cli import main
from geo.gazetteer import builtin
from geo.resolve import resolve

CODE = "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }}"
PAYLOADS = [CODE, "{{ 7*7 }}", "{% if true %}yes{% endif %}", "{% endif %}", "a {{ b", "{# c", "{%raw%}"]


def _yaml_text(text: str) -> str:
    return json.dumps(text)  # a JSON string is a YAML double-quoted scalar


def hostile_list(payload: str) -> str:
    q = _yaml_text
    return f"""title: {q("Title " + payload)}
article: {{source: {q("Source " + payload)}, url: {q("https://example.org/" + payload)}, date: 2017-06-07}}
layers:
  front: {{title: {q("Layer " + payload)}}}
map: {{focus: [{q("Name " + payload)}]}}
places:
  - name: {q("Name " + payload)}
    aliases: [{q("Alias " + payload)}]
    kind: city
    point: [35.95, 39.0]
    notes: {q("Notes " + payload)}
    sources: [{q("Source " + payload)}]
    events: [{{date: 2017-06-07, text: {q("Event " + payload)}}}]
  - name: {q("Second " + payload)}
    relative: {{of: {q("Name " + payload)}, distance_km: 3, bearing: north}}
    precision: approximate
    radius_km: 1
    checks: [{{of: {q("Name " + payload)}, distance_km: 3, says: {q("Says " + payload)}}}]
"""


@pytest.mark.parametrize("payload", PAYLOADS)
def test_template_syntax_in_every_field_and_the_article_is_shown_literally(
    payload: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    places = tmp_path / "places.yaml"
    places.write_text(hostile_list(payload), encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text(f"Fighting near Name {payload} went on. Name {payload} fell on Tuesday.\n", encoding="utf-8")
    out = tmp_path / "map.html"
    result = CliRunner().invoke(main, ["build", str(places), "-o", str(out), "--article", str(article)])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert not (tmp_path / "PWNED").exists()
    data = json.loads(_story_json(page))
    assert data["title"] == f"Title {payload}"
    assert data["article"]["source"] == f"Source {payload}"
    assert [layer["title"] for layer in data["layers"]] == [f"Layer {payload}"]
    first, second = data["places"]
    assert first["name"] == f"Name {payload}" and first["aliases"] == [f"Alias {payload}"]
    assert first["notes"] == f"Notes {payload}" and first["sources"] == [f"Source {payload}"]
    assert first["events"] == [{"date": "2017-06-07", "text": f"Event {payload}"}]
    assert second["name"] == f"Second {payload}"
    assert any(payload in quote["text"] for quote in first["quotes"])
    # The plain-text list and the page title carry the same characters, HTML-escaped.
    for text in (f"Title {payload}", f"Name {payload}", f"Notes {payload}", f"Event {payload}"):
        assert html.escape(text) in page
    assert f"<title>{html.escape('Title ' + payload)}</title>" in page
    if payload == "{{ 7*7 }}":
        assert "Title 49" not in page and "Notes 49" not in page


def test_the_served_page_shows_template_syntax_literally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.cli.serve import MapServer

    monkeypatch.chdir(tmp_path)
    places = tmp_path / "places.yaml"
    places.write_text(hostile_list(CODE), encoding="utf-8")
    server = MapServer(places, port=0)
    try:
        page = server.page()
    finally:
        server.httpd.server_close()
    assert server.error is None
    assert html.escape(f"Notes {CODE}") in page
    assert not (tmp_path / "PWNED").exists()


def test_render_takes_template_syntax_as_data_through_the_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    place_list = placelist.parse(hostile_list(CODE), tmp_path / "places.yaml")
    page = webmap.render(place_list, resolve(place_list, builtin()), article=f"Name {CODE} is quoted.")
    assert not (tmp_path / "PWNED").exists()
    assert json.loads(_story_json(page))["places"][0]["quotes"][0]["text"] == f"Name {CODE} is quoted."


def _story_json(page: str) -> str:
    """The JSON document the page hands to story.js."""
    match = re.search(r'<script type="application/json" id="geo-story-data-[\w-]+">(.*?)</script>', page, re.DOTALL)
    assert match is not None
    return match.group(1)


def test_an_article_that_is_not_text_is_a_one_line_error_and_the_map_stays(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(hostile_list("x"), encoding="utf-8")
    out = tmp_path / "map.html"
    assert CliRunner().invoke(main, ["build", str(places), "-o", str(out)]).exit_code == 0
    before = out.read_bytes()
    article = tmp_path / "article.txt"
    article.write_bytes(b"Name x fell.\nThen \xff\xfe\n")
    result = CliRunner().invoke(main, ["build", str(places), "-o", str(out), "--article", str(article)])
    assert result.exit_code == 1
    assert result.stderr == f"geo: error: {article}:2: byte 6 of the line (0xff) is not UTF-8; save the article as UTF-8 plain text\n"
    assert out.read_bytes() == before
