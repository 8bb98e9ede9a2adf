"""Drafts of `geo extract`, built into maps and opened in a real browser: empty and hostile articles."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from geo.cli import main

PAYLOAD = "{{ 7*7 }} {% if true %}x{% endif %} <img src=x onerror=alert(1)> <script>alert(2)</script>"


def _extract_and_build(tmp_path: Path, article_text: str, *build_options: str) -> Path:
    article, draft, page = tmp_path / "article.txt", tmp_path / "draft.yaml", tmp_path / "map.html"
    article.write_text(article_text, encoding="utf-8")
    runner = CliRunner()
    done = runner.invoke(main, ["extract", str(article), "--date", "2017-06-07", "-o", str(draft)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(main, ["build", str(draft), "-o", str(page), *build_options])
    assert done.exit_code == 0, done.output
    return page


def test_the_map_of_an_article_without_places_shows_the_world(tmp_path: Path, open_map) -> None:
    page = open_map(_extract_and_build(tmp_path, "Prices rose again, and nobody said where.\n"))
    page.wait_for_function("window.geoStory && geoStory.ready")
    assert page.evaluate("geoStory.map.getZoom()") <= 3
    assert page.locator("path.geo-marker").count() == 0


def test_a_hostile_article_shows_as_text_in_the_map_of_its_draft(tmp_path: Path, open_map) -> None:
    text = f"Fighters entered Raqqa on Tuesday, {PAYLOAD} residents said.\n"
    article = tmp_path / "article.txt"
    page = open_map(_extract_and_build(tmp_path, text, "--article", str(article)))
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.wait_for_function("window.geoStory && geoStory.ready")
    page.locator("path.geo-shape, path.geo-marker").first.click()
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    page.wait_for_timeout(200)
    assert dialogs == [] and page.locator("img[src=x]").count() == 0
    assert PAYLOAD in popup.inner_text()  # the event, and the article's sentence quoted, as written
    assert PAYLOAD in page.locator(".geo-list").inner_text()
    assert "49" not in popup.inner_text()
