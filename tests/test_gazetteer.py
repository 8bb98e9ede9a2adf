"""The offline gazetteer: spellings, ranking with context, curated data and country outlines."""

from __future__ import annotations

import pytest
from gazetteer_fixture import use_test_index

from geo.gazetteer import Match, great_circle_km, normalize, resolve_together
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


def test_an_unknown_name_has_no_answer_only_suggestions(gazetteer: IndexGazetteer) -> None:
    assert gazetteer.lookup("Damascusz", candidates=3) == []
    suggestions = gazetteer.suggest("Damascusz")
    assert suggestions[0].name == "Damascus" and all(m.confidence == 0 for m in suggestions)
    assert gazetteer.lookup("Xqzvvy", candidates=3) == []


def test_a_transliteration_no_source_spells_needs_the_context_to_agree(gazetteer: IndexGazetteer) -> None:
    # No source spells Manbij "Manbidj"; it is a transliteration, believed where the text is about Syria.
    assert gazetteer.lookup("Manbidj") == []
    assert gazetteer.lookup("Manbidj", near=[(7.73, 8.52)]) == []  # beside Makurdi, Nigeria
    for context in ({"country": "SY"}, {"near": [(35.95, 39.01)]}):
        (manbij,) = gazetteer.lookup("Manbidj", **context)
        assert manbij.name == "Manbij" and manbij.score < 100
    # Torkula, a Nigerian village no source has, only looks like Türkeli, Turkey: no answer at all.
    assert gazetteer.lookup("Torkula", country="TR") == []


def test_references_name_records(gazetteer: IndexGazetteer) -> None:
    mosul = gazetteer.record("geonames:99072")
    assert mosul is not None and (mosul.name, mosul.country) == ("Mosul", "IQ")
    river = gazetteer.record(gazetteer.lookup("al-Furat")[0].ref)
    assert river is not None and river.geometry is not None
    assert gazetteer.record("geonames:1") is None and gazetteer.record("nowhere") is None


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


ALEXANDRIA_LA = (31.3113, -92.4451)


def _km(a: tuple[float, float], match: Match) -> float:
    return great_circle_km(a[0], a[1], match.lat, match.lon)


@pytest.mark.parametrize("spelling", ["Rapides Parish", "Rapides"])
def test_a_parish_is_a_region_around_its_towns(gazetteer: IndexGazetteer, spelling: str) -> None:
    match = gazetteer.lookup(spelling)[0]
    assert (match.name, match.kind, match.country, match.source) == ("Rapides Parish", "admin2", "US", "geonames-admin")
    assert _km(ALEXANDRIA_LA, match) < 50


def test_a_bare_county_name_yields_to_the_town_unless_context_says_county(gazetteer: IndexGazetteer) -> None:
    assert gazetteer.lookup("Douglas")[0].kind != "admin2"
    assert gazetteer.lookup("Rapides")[0].score < gazetteer.lookup("Rapides Parish")[0].score
    omaha = (41.2586, -95.9378)
    county = gazetteer.lookup("Douglas County", near=[omaha])[0]
    assert (county.kind, county.country) == ("admin2", "US") and _km(omaha, county) < 50


@pytest.mark.parametrize(("spelling", "state"), [("Ky.", "Kentucky"), ("KY", "Kentucky"), ("S.D.", "South Dakota"),
                                                 ("Ariz.", "Arizona"), ("N.Y.", "New York"), ("Minnesotans", "Minnesota"),
                                                 ("Washington State", "Washington"), ("Minnesota", "Minnesota")])
def test_us_state_abbreviations_and_demonyms(gazetteer: IndexGazetteer, spelling: str, state: str) -> None:
    match = gazetteer.lookup(spelling)[0]
    assert (match.name, match.kind, match.country) == (state, "admin1", "US")


@pytest.mark.parametrize(("written", "state"), [("Ill.", "Illinois"), ("Pa.", "Pennsylvania"), ("Mass.", "Massachusetts"),
                                                ("Miss.", "Mississippi"), ("Tex.", "Texas"), ("Kan.", "Kansas")])
def test_an_ap_abbreviation_as_written_is_its_state_alone(gazetteer: IndexGazetteer, written: str, state: str) -> None:
    # "Ill." once met Willmar, Minnesota (its airport code ILL) and "Pa." Chongqing (its old name Pa)
    (match,) = gazetteer.lookup(written, candidates=3)
    assert (match.name, match.kind, match.country) == (state, "admin1", "US") and match.confident, match


@pytest.mark.parametrize("word", ["OR", "IN", "ME", "ill", "Ill", "mass", "Miss", "del"])
def test_postal_codes_and_abbreviations_that_are_words_are_not_states(gazetteer: IndexGazetteer, word: str) -> None:
    assert all(m.kind != "admin1" or m.country != "US" for m in gazetteer.lookup(word, candidates=3))


def test_a_code_listed_as_a_name_is_matched_only_as_written(gazetteer: IndexGazetteer) -> None:
    assert gazetteer.lookup("ill") == [] and gazetteer.lookup("Ill") == []  # not Willmar, whose airport is ILL
    assert gazetteer.lookup("ILL")[0].lon < -94  # the code itself still finds it


def test_states_and_countries_of_one_name_follow_context(gazetteer: IndexGazetteer) -> None:
    macon, seattle = (32.84, -83.63), (47.606, -122.332)
    assert gazetteer.lookup("Georgia", near=[macon])[0].country == "US"
    assert gazetteer.lookup("Washington", near=[seattle])[0].kind == "admin1"
    assert gazetteer.lookup("Aleppo")[0].kind == "city"  # the governorate yields to its namesake town


def test_georgia_in_an_atlanta_story_is_the_state(gazetteer: IndexGazetteer) -> None:
    assert gazetteer.lookup("Georgia", near=[(33.749, -84.388)])[0].country == "US"


def test_continents_and_demonyms(gazetteer: IndexGazetteer) -> None:
    africa = gazetteer.lookup("Africa")[0]
    assert (africa.kind, africa.country, africa.source) == ("continent", None, "geonames")
    assert gazetteer.lookup("North America")[0].kind == "continent"
    for demonym, code in (("Sudanese", "SD"), ("Iraqis", "IQ"), ("Afghan", "AF"), ("Chinese", "CN")):
        match = gazetteer.lookup(demonym)[0]
        assert (match.kind, match.country) == ("country", code)
    # a demonym has no looser keys to shadow real names with: Uruguayan ~ Oregon as variants
    assert (gazetteer.lookup("Oregon")[0].name, gazetteer.lookup("Oregon")[0].kind) == ("Oregon", "admin1")


def test_country_points_are_in_the_homeland(gazetteer: IndexGazetteer) -> None:
    from geo.gazetteer.countries import country_at

    for name, code in (("France", "FR"), ("Norway", "NO"), ("Afghanistan", "AF"), ("Sudan", "SD"), ("Chile", "CL")):
        match = gazetteer.lookup(name)[0]
        assert country_at(match.lat, match.lon) == code, name
    france = gazetteer.lookup("France")[0]
    assert 42 < france.lat < 51 and -5 < france.lon < 8  # metropolitan France, not pulled toward French Guiana


def test_x_co_is_x_county_and_a_company_is_no_place(gazetteer: IndexGazetteer) -> None:
    counties = gazetteer.lookup("Bay Co.", candidates=3)  # once Baku, its letters read as a transliteration
    assert counties and all((m.name, m.kind, m.country) == ("Bay County", "admin2", "US") for m in counties), counties
    assert gazetteer.lookup("Loudon Co.")[0].region is None and gazetteer.lookup("Loudon Co.")[0].id.startswith("US/")
    indonesia = ["Boeing Co.", "Jakarta", "Sulawesi", "Makassar", "Kendari"]
    assert resolve_together(gazetteer, indonesia)["Boeing Co."] == []  # once Bungku, Sulawesi


def test_a_places_people_are_that_place_and_no_other(gazetteer: IndexGazetteer) -> None:
    found = resolve_together(gazetteer, ["Londoner", "Londoners", "Paris", "Rouen", "Dieppe"])
    for people in ("Londoner", "Londoners"):  # once Londinières, from the Russian "Londin'er"
        assert [(m.name, m.country) for m in found[people]] == [("London", "GB")], found[people]


def test_a_place_knows_the_region_it_is_filed_under(gazetteer: IndexGazetteer) -> None:
    springfield = gazetteer.lookup("Springfield", near=[(39.8, -89.65)])[0]
    assert springfield.region == "US/Illinois/Sangamon County"
    assert gazetteer.lookup("O'Hare")[0].region == "US/Illinois/Cook County"  # an airport, filed by its nearest town
    assert gazetteer.lookup("France")[0].region is None  # a country lies in no region of its own


def test_a_us_town_too_small_for_geonames_cities_is_found_from_the_zip_code_list(gazetteer: IndexGazetteer) -> None:
    meadow_grove = gazetteer.lookup("Meadow Grove")[0]  # a Nebraska village of 300
    assert meadow_grove.ref.startswith("zipcodes:") and _km((42.03, -97.74), meadow_grove) < 10, meadow_grove
    assert meadow_grove.region == "US/Nebraska/Madison County"
    assert gazetteer.lookup("Medow Grove") == []  # spelled as the post office spells it, or not at all
    houston = gazetteer.lookup("Houston", near=[(29.76, -95.37)], candidates=10)
    assert not any(m.source == "zipcodes" for m in houston)  # a name GeoNames has gets no namesake from the list
    assert "harwinton" not in set(gazetteer.names())  # found when named, not read into running text by the extractor
    assert gazetteer.lookup("Harwinton")[0].region == "US/Connecticut/Litchfield County"


def test_a_towns_former_name_yields_to_the_town_that_bears_it_now(gazetteer: IndexGazetteer) -> None:
    # GeoNames lists Maryville as a former name of La Center, Kentucky, beside Ballard County
    maryville = resolve_together(gazetteer, ["Maryville", "Paducah", "Ballard County", "St. Louis"])["Maryville"][0]
    assert maryville.name == "Maryville", maryville


def test_the_breakaway_regions_of_georgia_are_areas_and_czechs_are_of_czechia(gazetteer: IndexGazetteer) -> None:
    from shapely.geometry import Point

    for name, town in (("South Ossetia", (42.23, 43.97)), ("Abkhazia", (43.0, 41.02))):  # Tskhinvali, Sukhumi
        region = gazetteer.lookup(name)[0]
        assert (region.kind, region.country) == ("region", "GE") and region.geometry.contains(Point(town[1], town[0]))
    assert gazetteer.lookup("Czechs")[0].name == "Czechia"
