"""The offline gazetteer: spellings, ranking with context, curated data and country outlines."""

from __future__ import annotations

import pytest
from gazetteer_fixture import use_test_index

from geo.gazetteer import normalize
from geo.gazetteer.index import IndexGazetteer

RAQQA, MOSUL, AYN_ISSA, AT_TANF = "172955", "99072", "172134", "11614781"


@pytest.fixture(scope="module")
def gazetteer() -> IndexGazetteer:
    return IndexGazetteer(use_test_index(), build_if_needed=False)


@pytest.mark.parametrize("spelling", ["Raqa", "Raqqa", "Ar-Raqqah", "Rakka", "RAQQA", "ar raqqah", "Raqqah", "al-Raqqa"])
def test_every_spelling_of_raqqa_is_one_place(gazetteer: IndexGazetteer, spelling: str) -> None:
    (match,) = gazetteer.lookup(spelling)
    assert (match.source, match.id, match.country) == ("geonames", RAQQA, "SY")


def test_al_tanaf_finds_geonames_at_tanf(gazetteer: IndexGazetteer) -> None:
    (match,) = gazetteer.lookup("Al-Tanaf")
    assert (match.name, match.id) == ("At Tanf", AT_TANF)


@pytest.mark.parametrize("spelling", ["Ain Issa", "Ayn Issa", "ʿAyn ʿĪsá"])
def test_ain_issa_finds_ayn_isa(gazetteer: IndexGazetteer, spelling: str) -> None:
    assert gazetteer.lookup(spelling)[0].id == AYN_ISSA


def test_a_looser_spelling_needs_the_country_hint(gazetteer: IndexGazetteer) -> None:
    # "Ain Isa" also spells Inisa, a Nigerian city far larger than the Syrian town.
    assert gazetteer.lookup("Ain Isa", country="SY")[0].id == AYN_ISSA


def test_transliteration_keys_fold_the_listed_variants() -> None:
    assert len({normalize.variant(n) for n in ("Raqa", "Raqqa", "Ar-Raqqah", "Rakka")}) == 1
    assert normalize.skeleton("Al-Tanaf") == normalize.skeleton("At Tanf")
    assert normalize.skeleton("Ain Issa") == normalize.skeleton("ʿAyn ʿĪsá")
    assert normalize.folded("Qal'at Hiraql") == "qalat hiraql"


def test_mosul_near_raqqa_is_the_iraqi_city(gazetteer: IndexGazetteer) -> None:
    raqqa = gazetteer.lookup("Raqqa")[0]
    match = gazetteer.lookup("Mosul", near=[(raqqa.lat, raqqa.lon)])[0]
    assert (match.id, match.country) == (MOSUL, "IQ")


def test_country_comes_before_a_village_of_the_same_name(gazetteer: IndexGazetteer) -> None:
    first, second = gazetteer.lookup("Jordan", candidates=2)
    assert (first.kind, first.country) == ("country", "JO")
    assert second.kind != "country"
    assert gazetteer.lookup("Georgia")[0].kind == "country"


def test_country_hint_and_context_pick_among_homonyms(gazetteer: IndexGazetteer) -> None:
    assert gazetteer.lookup("Paris")[0].country == "FR"
    texas = gazetteer.lookup("Paris", country="US", near=[(32.78, -96.8)])[0]  # near Dallas
    assert (texas.country, round(texas.lat)) == ("US", 34)


def test_capital_and_alternate_names(gazetteer: IndexGazetteer) -> None:
    assert gazetteer.lookup("Washington")[0].kind == "capital"
    assert gazetteer.lookup("Britain")[0].country == "GB"
    assert gazetteer.lookup("Damascus")[0].id == "170654"


def test_every_place_of_the_raqqa_article_is_known(gazetteer: IndexGazetteer) -> None:
    names = ["Raqqa", "Hazima", "Al-Meshleb", "Heraqla", "Harqal citadel", "Division 17 base", "Euphrates",
             "Mosul", "Mosul Old City", "Al-Tanf garrison", "At Tanf border crossing", "Iraq–Jordan–Syria tripoint",
             "Syria–Jordan border", "Syria–Iraq border", "Ayn Issa", "Syria", "Iraq", "Jordan", "Russia", "Britain",
             "Washington"]
    for name in names:
        found = gazetteer.lookup(name)
        assert found and found[0].score >= 85, name


def test_curated_rivers_and_borders_are_lines_with_a_source(gazetteer: IndexGazetteer) -> None:
    river = gazetteer.lookup("al-Furat")[0]
    assert river.kind == "river" and river.geometry is not None and river.geometry.geom_type == "LineString"
    border = gazetteer.lookup("Syria's border with Jordan")[0]
    assert (border.source, border.kind) == ("naturalearth", "border")
    assert border.geometry is not None and border.geometry.length > 3  # degrees: ≈375 km of border
    assert gazetteer.lookup("Division 17 base")[0].radius_km == pytest.approx(1.13, abs=0.01)


def test_unknown_name_falls_back_to_fuzzy_candidates_scored_low(gazetteer: IndexGazetteer) -> None:
    found = gazetteer.lookup("Damascusz", candidates=3)
    assert found and all(m.score < 80 for m in found)
    assert found[0].name == "Damascus"
    assert gazetteer.lookup("Xqzvvy", candidates=3) == [] or gazetteer.lookup("Xqzvvy")[0].score < 80


def test_index_is_rebuilt_when_a_source_changes(monkeypatch: pytest.MonkeyPatch) -> None:
    from geo.gazetteer import index

    path = use_test_index()
    assert index.is_current(path)
    monkeypatch.setattr(index, "FORMAT", index.FORMAT + 1)
    assert not index.is_current(path)


def test_country_at_and_clip_to_country() -> None:
    from geo import geometry
    from geo.gazetteer.countries import clip_to_country, country_at

    assert country_at(35.95283, 39.00788) == "SY"
    assert country_at(36.335, 43.11889) == "IQ"
    assert country_at(0.0, -30.0) is None
    zone = clip_to_country(geometry.circle((33.50583, 38.61778), 55), "SY")
    assert geometry.area_km2(zone) == pytest.approx(6950, rel=0.02)
    assert country_at(zone.representative_point().y, zone.representative_point().x) == "SY"


def test_clip_to_an_unknown_or_distant_country_is_an_error() -> None:
    from geo import geometry
    from geo.errors import ResolutionError
    from geo.gazetteer.countries import clip_to_country

    circle = geometry.circle((33.50583, 38.61778), 55)
    with pytest.raises(ResolutionError, match="unknown country code"):
        clip_to_country(circle, "XX")
    with pytest.raises(ResolutionError, match="does not overlap"):
        clip_to_country(circle, "FR")
