"""geo extract on the Raqqa article: places, merging, relative positions, zones, dates, outputs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo import placelist
from geo.cli import main
from geo.extract import Extractor, quotes_for
from geo.extract.dates import dates_in
from geo.extract.draft import jsonl, render
from geo.extract.relations import relatives, zones

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "articles" / "raqqa-2017-06-07.txt"
if not ARTICLE.exists():
    ARTICLE = Path("/work/shared/articles/raqqa-2017-06-07.txt")
DATE = dt.date(2017, 6, 7)
# Places of places.yaml that the article names (Ayn Issa, the border crossing and the tripoint it does not).
NAMED = ["Raqqa", "Al-Meshleb", "Heraqla", "Division 17 base", "Hazima", "Mosul", "Mosul Old City",
         "Al-Tanaf garrison", "De-confliction zone", "Euphrates", "Syria–Jordan border", "Syria–Iraq border",
         "Syria", "Iraq", "Jordan", "Russia", "Britain", "Washington"]  # fmt: skip

pytestmark = pytest.mark.skipif(not ARTICLE.exists(), reason="the shared Raqqa article is not here")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="module")
def result(extractor: Extractor):
    return extractor.extract(ARTICLE.read_text(encoding="utf-8"), DATE)


@pytest.fixture(scope="module")
def draft(result, extractor: Extractor) -> placelist.PlaceList:
    return placelist.parse(render(result, source=str(ARTICLE), extractor=extractor))


def _names(place) -> set[str]:
    return {n.casefold() for n in (place.name, *place.aliases)}


def _find(draft: placelist.PlaceList, written: placelist.Place):
    wanted = _names(written)
    return next((p for p in draft.places if _names(p) & wanted), None)


@pytest.mark.parametrize("name", NAMED)
def test_every_named_place_of_places_yaml_is_found(draft, name: str) -> None:
    written = placelist.load(ROOT / "places.yaml").by_name()[name.casefold()]
    assert _find(draft, written) is not None, f"{name} not in the draft: {[p.name for p in draft.places]}"


def test_raqqa_and_raqa_are_one_place(draft) -> None:
    raqqa = [p for p in draft.places if {"raqqa", "raqa"} & _names(p)]
    assert len(raqqa) == 1
    assert {"raqqa", "raqa"} <= _names(raqqa[0])


def test_military_complex_is_two_km_north_of_the_city(draft) -> None:
    complex_ = next(p for p in draft.places if "military complex" in _names(p))
    rel = complex_.placement
    assert isinstance(rel, placelist.Relative)
    assert rel.of == "Raqqa" and rel.distance_km == pytest.approx(2) and rel.bearing_deg == 0


def test_zone_is_55_km_around_the_garrison(draft) -> None:
    zone = next(p for p in draft.places if p.kind == "zone")
    assert isinstance(zone.placement, placelist.Zone)
    assert zone.placement.radius_km == pytest.approx(55)
    assert "garrison" in zone.placement.around.casefold()


def test_weekdays_become_dates(draft) -> None:
    dates = {e.date for p in draft.places for e in p.events}
    assert {dt.date(2017, 6, 5), dt.date(2017, 6, 6), dt.date(2017, 6, 7)} <= dates
    raqqa = next(p for p in draft.places if p.name == "Raqqa")
    assert dt.date(2017, 6, 5) in {e.date for e in raqqa.events}  # "Late on Monday ... escape Raqqa"


def test_demonym_is_flagged(result) -> None:
    demonyms = [(m, p) for m, p in result.mentions() if m.demonym]
    assert any(m.text == "Russian" and p.name == "Russia" for m, p in demonyms)
    assert all(m.text[0].isupper() for m, _ in demonyms)


def test_mentions_keep_offsets_and_sentences(result) -> None:
    text = result.text
    for m, _ in result.mentions():
        assert text[m.start : m.end] == m.text or m.text.endswith("border")
        sent = result.sentences[m.sentence]
        assert sent.start <= m.start < sent.end


def test_jsonl_one_object_per_mention(result) -> None:
    rows = [json.loads(line) for line in jsonl(result, "a.txt").splitlines()]
    assert rows and {"file", "start", "end", "text", "name", "lat", "lon", "kind", "score"} <= set(rows[0])
    raqqa = [r for r in rows if r["name"] == "Raqqa"]
    assert {r["text"] for r in raqqa} >= {"Raqqa", "Raqa"}
    assert all(r["lat"] == pytest.approx(35.95, abs=0.1) for r in raqqa)


def test_cli_yaml_and_jsonl(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "draft.yaml"
    res = runner.invoke(main, ["extract", str(ARTICLE), "--date", "2017-06-07", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert placelist.load(out).places
    res = runner.invoke(main, ["extract", str(ARTICLE), "-o", str(out)])
    assert res.exit_code == 1 and "--force" in res.output
    other = tmp_path / "b.txt"
    other.write_text("Floods hit the village of Tamworth, near Sydney, on Monday.", encoding="utf-8")
    res = runner.invoke(main, ["extract", str(ARTICLE), str(other), "--format", "jsonl"])
    assert res.exit_code == 0, res.output
    files = {json.loads(line)["file"] for line in res.stdout.splitlines()}
    assert files == {str(ARTICLE), str(other)}
    res = runner.invoke(main, ["extract", str(ARTICLE), str(other)])
    assert res.exit_code == 1 and "jsonl" in res.output
    res = runner.invoke(main, ["extract", str(tmp_path / "missing.txt")])
    assert res.exit_code == 1 and "no such file" in res.output
    res = runner.invoke(main, ["extract", "--help"])
    assert "Example" in res.output


def test_unresolved_names_are_listed_as_comments(extractor: Extractor) -> None:
    text = "Fighting spread to the village of Qzxwplmo on Monday, residents in Qzxwplmo said."
    result = extractor.extract(text, DATE)
    out = render(result, extractor=extractor)
    assert "Qzxwplmo" in out and "TODO" in out
    place = placelist.parse(out).places[0]
    assert place.name == "Qzxwplmo" and place.kind == "village"
    assert place.events[0].date == dt.date(2017, 6, 5)


def test_relations_dates_and_units() -> None:
    (rel,) = relatives("a camp some 3 miles south-west of Kobane.", 0, 0)
    assert rel.subject == "camp" and rel.distance_km == pytest.approx(4.828, abs=0.01) and rel.bearing == "south-west"
    (zone,) = zones("the 34-mile (55-kilometer) de-confliction zone", 0, 0)
    assert zone.radius_km == 55
    (zone,) = zones("a 10-mile exclusion zone around the plant", 0, 0)
    assert zone.radius_km == pytest.approx(16.093, abs=0.01)
    found = [d for _, _, d in dates_in("On Tuesday and on June 1, and yesterday", DATE)]
    assert found == [dt.date(2017, 6, 6), dt.date(2017, 6, 1), dt.date(2017, 6, 6)]
    assert dates_in("on Tuesday", None) == []


def test_quotes_for_highlights_mentions() -> None:
    text = ARTICLE.read_text(encoding="utf-8")
    quotes = quotes_for(["Raqqa", "Raqa", "Ar Raqqah"], text)
    assert len(quotes) >= 10
    for sentence, spans in quotes:
        assert spans and all(sentence[s:e].casefold() in {"raqqa", "raqa"} for s, e in spans)
    assert len({s for s, _ in quotes}) == len(quotes)  # the repeated caption once
    assert quotes_for([], text) == []


def _found(extractor: Extractor, text: str) -> dict[str, object]:
    """What a user sees: each mention as written, and the gazetteer place it was resolved to."""
    return {m.text: p.match for m, p in extractor.extract(text).mentions() if not m.demonym}


def test_people_offices_and_streets_are_not_places(extractor: Extractor) -> None:
    text = (
        "Maria Lopez Henry, 34, of 210 Orchard St., Alexandria, was charged on Monday. The Sheriff's Office and "
        "Rapides Parish Fire District 2 investigated the fire at 4410 Dublin Road that led to Henry's arrest."
    )
    found = _found(extractor, text)
    assert set(found) == {"Alexandria", "Rapides Parish"}, found


def test_a_person_named_with_a_title_is_not_a_place_later(extractor: Extractor) -> None:
    text = "State Sen. Tom Jensen of Bath County spoke on Tuesday. Jensen said the bridge would open."
    found = _found(extractor, text)
    assert set(found) == {"Bath County"}, found


def test_given_names_and_capitalised_common_words_are_not_places(extractor: Extractor) -> None:
    text = "Man booked for assault. The man, 31, was held near Huntsville. Scott Newsham and Kristina Lowe won."
    assert set(_found(extractor, text)) == {"Huntsville"}


def test_news_abbreviations_of_countries_and_states(extractor: Extractor) -> None:
    text = "The team drove from Caddo, Okla., to Charleston, W.Va., then flew back to the U.S. capital."
    found = _found(extractor, text)
    names = {written: found[written].name for written in ("Okla.", "W.Va.", "U.S.")}
    assert names == {"Okla.": "Oklahoma", "W.Va.": "West Virginia", "U.S.": "United States"}
    assert found["Charleston"].lat == pytest.approx(38.35, abs=0.5)  # the one in West Virginia


def test_an_ambiguous_name_goes_with_the_places_around_it(extractor: Extractor) -> None:
    found = _found(extractor, "Farmers in Paris and Puryear saw rain in March.")
    assert set(found) == {"Paris", "Puryear"}  # "Farmers" is also a name of Milan, Michigan
    assert found["Paris"].country == "US" and found["Paris"].lat == pytest.approx(36.3, abs=0.3)  # in Tennessee


def test_a_name_spelled_as_in_the_gazetteer_is_not_a_transliteration_look_alike(extractor: Extractor) -> None:
    found = extractor.lookup("Sullivan")
    assert found and "Slovenia" not in {m.name for m in found}  # the same consonants, s-l-v-n


def test_places_inside_compounds_and_organisation_names(extractor: Extractor) -> None:
    text = (
        "Officials said Egypt-US relations improved. Detective Ann Wood of the Paris Police Department said settlers "
        "in the West Bank were not involved."
    )
    assert {"Egypt", "US", "Paris", "West Bank"} <= set(_found(extractor, text))


def test_the_draft_pins_each_choice_and_its_map_draws_exactly_that(result, extractor: Extractor, tmp_path: Path) -> None:
    from geo.resolve import resolve

    text = render(result, source=str(ARTICLE), extractor=extractor)
    draft = placelist.parse(text)
    refs = {p.name: p.placement.ref for p in draft.places if isinstance(p.placement, placelist.Ref)}
    assert refs["Raqqa"] == "geonames:172955" and refs["Mosul"] == "geonames:99072"
    assert not any(isinstance(p.placement, placelist.Lookup) for p in draft.places if p.kind != "border")
    drawn = resolve(draft, extractor.gazetteer).by_name()
    for name, ref in refs.items():
        assert drawn[name].match is not None and drawn[name].match.ref == ref, name
        # The comment above the entry gives the number the map shows.
        entry = text.index(f"  - name: {name}\n")
        comment = text[text.rindex("\n\n", 0, entry) : entry]
        assert f"confidence {drawn[name].confidence:.2f}" in comment, name
    assert all(line == line.rstrip() for line in text.splitlines())


def test_a_guess_is_unverified_in_the_draft_and_on_its_map(extractor: Extractor, tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("Flooding hit Springfield on Monday. Residents of Springfield were told to leave.\n")
    draft = tmp_path / "places.yaml"
    result = CliRunner().invoke(main, ["extract", str(article), "-o", str(draft)])
    assert result.exit_code == 0, result.output
    text = draft.read_text()
    assert "UNVERIFIED (confidence" in text and "replace `ref:` with its reference" in text
    build = CliRunner().invoke(main, ["build", str(draft), "-o", str(tmp_path / "map.html")])
    assert build.exit_code == 0 and "'Springfield' is unverified" in build.stderr
    strict = CliRunner().invoke(main, ["build", str(draft), "-o", str(tmp_path / "map.html"), "--strict"])
    assert strict.exit_code == 1
