"""geo extract on the Raqqa article: places, merging, relative positions, zones, dates, outputs."""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from gazetteer_fixture import use_test_index

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
    use_test_index()  # the index the `geo` processes these tests start read too
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


# -- empty, huge and hostile articles ---------------------------------------------------------------------


@pytest.mark.parametrize("content", ["", "  \n\t\n ", "Nothing here names a place; it is all about prices and weather.\n"])
def test_an_article_without_places_gives_an_empty_place_list_geo_accepts(tmp_path: Path, content: str) -> None:
    article, draft, page = tmp_path / "article.txt", tmp_path / "draft.yaml", tmp_path / "map.html"
    article.write_text(content, encoding="utf-8")
    runner = CliRunner()
    res = runner.invoke(main, ["extract", str(article), "-o", str(draft)])
    assert res.exit_code == 0, res.output
    said = [line for line in res.stderr.splitlines() if str(article) in line]
    assert len(said) == 1 and "place list is empty" in said[0], res.stderr
    assert placelist.load(draft).places == ()
    res = runner.invoke(main, ["check", str(draft)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(main, ["build", str(draft), "-o", str(page)])
    assert res.exit_code == 0, res.output
    assert "has no places" in res.stderr and page.stat().st_size > 0


def test_an_article_that_is_not_utf8_is_one_line_with_its_file_and_line(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_bytes(b"Raqqa fell on Monday.\nThe SDF advanced\n from Hazima \xe7( north.\n")
    res = CliRunner().invoke(main, ["extract", str(article)])
    assert res.exit_code == 1
    assert res.output.startswith(f"geo: error: {article}:3: ") and "UTF-8" in res.output
    assert res.output.count("\n") == 1 and "Traceback" not in res.output


def test_an_article_larger_than_the_limit_is_refused_with_the_figure(tmp_path: Path, monkeypatch) -> None:
    from geo.extract import text as text_module

    monkeypatch.setattr(text_module, "MAX_ARTICLE_BYTES", 1_000)
    article = tmp_path / "article.txt"
    article.write_text("Fighting in Raqqa. " * 100, encoding="utf-8")
    res = CliRunner().invoke(main, ["extract", str(article)])
    assert res.exit_code == 1 and res.output.count("\n") == 1
    assert f"{article}: larger than 0.001 MB" in res.output


PAYLOAD = "{{ cycler.__init__.__globals__.os.popen('touch PWNED').read() }} {% endif %} a {{ b <script>alert(1)</script>"
HOSTILE = {
    # template syntax and markup, in a dated sentence (an event) and in a relative position (a note)
    "template": f"Troops entered Raqqa on Tuesday, {PAYLOAD} residents said. A camp {PAYLOAD} lies 3 km north of Raqqa.",
    # NUL, C0 and C1 controls, DEL, NEL and the line separator inside sentences, names and phrases
    "controls": "Fighting hit\x00 Raqqa on Monday \x96 the bag \x97 was seized\x1b[31m near Mosul.\x7f A military\x85complex "
                "sits 2 km\x85north of Raqqa\u2028 on Tuesday. Deputies searched a flat in Qzxwplmo Heights \x96 mostly "
                "electronics\x01 were found.",
    # a sentence that never ends, of capitalised words
    "shouting": "FIGHTING IN RAQQA AND MOSUL " * 400,
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_stays_text_in_a_draft_geo_accepts(extractor: Extractor, tmp_path: Path, name: str) -> None:
    draft = render(extractor.extract(HOSTILE[name], DATE), source="article.txt", extractor=extractor)
    places = placelist.parse(draft).places  # valid YAML, valid place list
    assert places
    path = tmp_path / "draft.yaml"
    path.write_text(draft, encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(path)])
    assert res.exit_code == 0, res.output
    if name == "template":
        texts = [e.text for p in places for e in p.events] + [p.notes or "" for p in places]
        assert any(PAYLOAD in t for t in texts), texts  # copied as written, not evaluated
        assert not (tmp_path / "PWNED").exists() and not Path("PWNED").exists()


def test_a_distance_or_zone_named_twice_is_one_place(extractor: Extractor) -> None:
    text = "Shells hit a base 2 km north of Raqqa. Troops left a base 3 km south of Raqqa. A 5 km zone was set. A 5 km zone grew."
    draft = placelist.parse(render(extractor.extract(text, DATE), extractor=extractor))  # no duplicate names
    bases = [p for p in draft.places if p.name.casefold() == "base"]
    assert len(bases) == 1 and bases[0].placement.distance_km == pytest.approx(2)  # the first statement
    assert len([p for p in draft.places if p.kind == "zone"]) == 1


def test_a_zone_belongs_to_the_place_it_names_not_the_first_of_its_sentence(extractor: Extractor) -> None:
    result = extractor.extract("Raqqa said on Monday that a 10 km exclusion zone around Tabqa was declared.", DATE)
    zone = next(p for p in result.places if p.kind == "zone")
    assert zone.zone and zone.zone["around"] == "Tabqa"
    assert result.text[zone.mentions[0].start : zone.mentions[0].end] == "exclusion zone"


# Each of these took minutes before extraction was made linear (a pattern, a scan or a recursion per mention
# over every mention, sentence or character); all of them together now take seconds. Names alone, as a user
# would feed them; the bound is a timeout, not a speed figure (benchmarks/bench_extract_scale.py measures).
DEGENERATE = {
    "hyphen-chain": "Aa-" * 70_000,
    "digits": "7" * 200_000,
    "bangs": "!" * 200_000,
    "open-brackets": "5 km (" * 35_000,
    "demonym-list": "Syrian and Iraqi and " * 10_000,
    "repeated-relation": "a base 2 km north of Raqqa " * 8_000,
    "repeated-zone": "Raqqa, a 5 km zone " * 10_000,
    "capitalised-list": "Paris, London, Berlin, " * 9_000,
    "person-of-place": "John Smith of " * 15_000,
}


def test_degenerate_articles_end_in_seconds_with_output(tmp_path: Path) -> None:
    files = []
    for name, text in DEGENERATE.items():
        files.append(tmp_path / f"{name}.txt")
        files[-1].write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "geo", "extract", "--format", "jsonl", *map(str, files)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert {Path(r["file"]).stem for r in rows} >= {"repeated-relation", "capitalised-list"}


def test_quotes_for_finds_what_a_scan_of_every_sentence_finds() -> None:
    text = ARTICLE.read_text(encoding="utf-8") + "\nİSTANBUL and ıstanbul are not Raqqa. RAQQA's streets. Al-Tanaf.\n"
    for names in (["Raqqa", "Raqa"], ["istanbul"], ["Tanaf"], ["Al-Tanaf"], ["Mosul Old City"], ["'s-Hertogenbosch"], ["x"]):
        pattern = re.compile(
            r"(?<![\w-])(?:" + "|".join(r"\s+".join(map(re.escape, n.split())) for n in names) + r")(?![\w-])", re.I
        )
        from geo.extract.text import sentences

        expected, seen = [], set()
        for s in sentences(text):
            spans = [(m.start(), m.end()) for m in pattern.finditer(s.text)]
            if spans and s.text not in seen:
                seen.add(s.text)
                expected.append((s.text, spans))
        assert quotes_for(names, text) == expected, names


def test_the_fast_fold_of_article_words_is_the_gazetteers_fold() -> None:
    from geo.extract.core import _fold
    from geo.gazetteer import fold

    rng = random.Random(3)
    words = ["Raqqa", "AL-TANAF", "Ar-Raqqah", " St.  Louis ", "O'Fallon", "a\tb\nc", "x--y", "", "-", "Ärzte", "İstanbul"]
    words += ["".join(chr(rng.randrange(0, 128)) for _ in range(rng.randrange(0, 20))) for _ in range(2000)]
    for word in words:
        assert _fold(word) == fold(word), repr(word)


GROUP_POSSESSIVE = re.compile(r"(?<!\\)\)(?:[*+?]|\{\d*,?\d*\})\+")
"""A possessive repeat of a group, ``(?:…)*+``: Python 3.11 before 3.11.5 (Debian 12's 3.11.2) matches such a
repeat nested in another one wrongly, so "the villages of Foua and Kfraya" lost Kfraya there and not on 3.11.7."""


def test_no_pattern_of_geo_repeats_a_group_possessively() -> None:
    import importlib
    import pkgutil

    import geo

    found = []
    for module_info in pkgutil.walk_packages(geo.__path__, "geo."):
        if module_info.name.startswith(("geo.cli", "geo.__main__", "geo.basemap")):
            continue  # no patterns of text there; the basemap module runs a derivation when executed
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern) and GROUP_POSSESSIVE.search(value.pattern):
                found.append(f"{module_info.name}.{name}")
    assert not found, f"possessive repeats of a group in {found}: write the repeat greedy"
