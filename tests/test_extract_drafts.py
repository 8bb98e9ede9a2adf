"""Drafts of short made-up news stories: people, vehicles, operations, datelines and one place under
several forms, as a reader of the draft would check them."""

from __future__ import annotations

import pytest
from gazetteer_fixture import use_test_index

from geo import placelist
from geo.extract import Extractor
from geo.extract.draft import render


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    use_test_index()
    return Extractor()


def draft(extractor: Extractor, text: str) -> placelist.PlaceList:
    return placelist.parse(render(extractor.extract(text), extractor=extractor))


def names(plan: placelist.PlaceList) -> set[str]:
    return {n.casefold() for p in plan.places for n in (p.name, *p.aliases)}


def entry(plan: placelist.PlaceList, name: str) -> placelist.Place:
    found = [p for p in plan.places if name.casefold() in {n.casefold() for n in (p.name, *p.aliases)}]
    assert len(found) == 1, f"{name}: {[p.name for p in plan.places]}"
    return found[0]


def test_a_driver_is_no_place(extractor: Extractor) -> None:
    plan = draft(extractor, "Mat Jackson won the opening race at Thruxton on Sunday. Jackson led from the start.")
    assert "thruxton" in names(plan)
    assert not names(plan) & {"mat", "matadi", "jackson"}


def test_bylines_are_people_and_their_town_a_place(extractor: Extractor) -> None:
    text = ("Talks stall over grain exports\nBy Vladimir Sorokov in Moscow\n\nOfficials met in Moscow on Monday.\n"
            "Ayse Lebedenko in Istanbul contributed to this report.")  # fmt: skip
    plan = draft(extractor, text)
    assert {"moscow", "istanbul"} <= names(plan)
    assert not names(plan) & {"vladimir", "sorokov", "ayse", "lebedenko"}


def test_a_byline_on_its_own_line_is_a_person(extractor: Extractor) -> None:
    text = "Ferry strike ends\nAyse Wieting in Istanbul\n\nISTANBUL — Ferries sailed again on Friday."
    plan = draft(extractor, text)
    assert "istanbul" in names(plan)
    assert not names(plan) & {"ayse", "wieting"}


def test_titles_before_names_are_people(extractor: Extractor) -> None:
    plan = draft(extractor, "Gov. Kent Sherwood spoke in Richmond, and Sen. Warren Lincoln agreed with President Tyler Hailey.")
    assert not names(plan) & {"kent", "sherwood", "warren", "lincoln", "tyler", "hailey"}


def test_cars_and_teams_are_no_places(extractor: Extractor) -> None:
    text = ("Police in Lichfield found a stolen 2008 Ford Focus and a white Toyota Avensis. "
            "The driver of the Motorbase Ford said the Arona was quicker than the Oldsmobile Bravada.")  # fmt: skip
    plan = draft(extractor, text)
    assert "lichfield" in names(plan)
    assert not names(plan) & {"ford", "toyota", "arona", "motorbase", "oldsmobile", "bravada"}


def test_an_operation_is_no_mention_of_its_river(extractor: Extractor) -> None:
    plan = draft(extractor, "Operation Wrath of the Euphrates began at dawn near Raqqa. Euphrates Shield fighters held Jarablus.")
    assert not names(plan) & {"euphrates", "euphrates shield"}
    assert "raqqa" in names(plan)


def test_an_operation_named_after_a_river_named_alone_too(extractor: Extractor) -> None:
    plan = draft(extractor, "Operation Wrath of the Euphrates began near Raqqa. Troops crossed the Euphrates on Monday.")
    assert "euphrates" in names(plan)


def test_a_media_centre_is_no_mention_of_its_city(extractor: Extractor) -> None:
    plan = draft(extractor, "Shells hit Raqqa, the Aleppo Media Center reported.")
    assert "aleppo" not in names(plan) and "raqqa" in names(plan)


def test_a_dateline_is_merged_into_the_place_it_names(extractor: Extractor) -> None:
    plan = draft(extractor, "BEIRUT (AP) — Protesters filled the streets of Beirut on Tuesday.")
    beirut = entry(plan, "Beirut")
    assert beirut.name == "Beirut"
    assert len([p for p in plan.places if "beirut" in {n.casefold() for n in (p.name, *p.aliases)}]) == 1


def test_a_county_dateline_is_the_county(extractor: Extractor) -> None:
    plan = draft(extractor, "PLYMOUTH CO. — A barn burned in Plymouth County on Friday, near Kingston.")
    county = entry(plan, "Plymouth County")
    assert county.kind == "region"
    assert "plymouth" not in names(plan)


def test_a_province_and_its_name_are_one_entry(extractor: Extractor) -> None:
    plan = draft(extractor, "Shells fell on Idlib on Monday. Rebels across Idlib province said the shelling went on.")
    idlib = entry(plan, "Idlib")
    assert "idlib province" in {n.casefold() for n in idlib.aliases}


def test_a_town_and_its_name_are_one_entry(extractor: Extractor) -> None:
    plan = draft(extractor, "Gunmen attacked Guma LGA in Benue state. Benue officials said Makurdi town was calm; "
                            "Makurdi and Guma mourned.")  # fmt: skip
    for name, form in (("Benue", "benue state"), ("Makurdi", "makurdi town"), ("Guma", "guma lga")):
        place = entry(plan, name)
        assert form in {n.casefold() for n in (place.name, *place.aliases)}


def test_a_citys_old_city_is_a_district_of_it(extractor: Extractor) -> None:
    plan = draft(extractor, "Iraqi forces pushed into Mosul's Old City on Sunday.")
    old = entry(plan, "Mosul Old City")
    assert old.kind == "district"
    assert isinstance(old.placement, placelist.Relative) and old.placement.of == "Mosul"
    assert old.placement.distance_km == 0


def test_villages_listed_after_a_cue_are_places(extractor: Extractor) -> None:
    plan = draft(extractor, "Buses left the Shiite villages of Foua and Kfraya on Friday.")
    assert {"foua", "kfraya"} <= names(plan)


def test_a_given_name_that_is_a_place_stays_one_when_the_article_says_so(extractor: Extractor) -> None:
    plan = draft(extractor, "Kent will see a cut in school funding. Only Cornwall and Kent lose money; the farm is in Kent.")
    assert "kent" in names(plan)
    listed = draft(extractor, "Only Cornwall and Kent will see decreases this year.")
    assert "kent" in names(listed)


def test_a_city_that_speaks_is_a_place(extractor: Extractor) -> None:
    plan = draft(extractor, "Tbilisi says the separatists attacked first. Moscow said it would respond.")
    assert {"tbilisi", "moscow"} <= names(plan)


def test_a_dateline_the_gazetteer_lacks_is_an_entry_to_complete(extractor: Extractor) -> None:
    text = "Fair opens\n\nQUORVILLE — The county fair opened on Saturday, organisers said."
    written = render(extractor.extract(text), extractor=extractor)
    quorville = entry(placelist.parse(written), "Quorville")
    assert quorville.name == "Quorville"
    assert "TODO" in written.split("name: Quorville")[0].rsplit("\n\n", 1)[-1]


def test_a_place_named_like_an_organisation_is_a_place_after_in(extractor: Extractor) -> None:
    plan = draft(extractor, "A mudslide closed the road in East Bank on Monday.")
    assert "east bank" in names(plan)


def test_abbreviated_saints_mounts_and_forts_are_found(extractor: Extractor) -> None:
    plan = draft(extractor, "Flights from St. Louis to Ft. Worth were cancelled, officials in Mt. Pleasant, Iowa, said.")
    for written, place in (("St. Louis", "St. Louis"), ("Ft. Worth", "Fort Worth"), ("Mt. Pleasant", "Mount Pleasant")):
        found = entry(plan, written)
        assert isinstance(found.placement, placelist.Ref) and place.casefold() in {n.casefold() for n in (found.name, *found.aliases)}


def test_a_dateline_after_a_title_run_into_the_text(extractor: Extractor) -> None:
    plan = draft(extractor, "School board meets, part 1. QUORVILLE – The board met on Monday.")
    assert entry(plan, "Quorville").name == "Quorville"


def test_a_saints_day_is_no_place(extractor: Extractor) -> None:
    plan = draft(extractor, "Crowds marked St. Patrick's Day in Dublin's city centre and St. George's Day in London.")
    assert not names(plan) & {"day", "dayton", "st. patrick", "st. george"}
    assert entry(plan, "Dublin").placement.ref.startswith("geonames:")  # type: ignore[union-attr]
    assert plan.country != "US"


def test_offices_laws_and_papers_are_no_places(extractor: Extractor) -> None:
    text = ("Jury Indicts Man In Gainesville Slaying\nThe Gainesville Chamber of Commerce backed the Clean Air Act, "
            "the News-Leader reported, and so did the University of Alabama.")  # fmt: skip
    plan = draft(extractor, text)
    assert {"gainesville", "alabama"} <= names(plan)
    assert not names(plan) & {"commerce", "act", "waco", "leader", "man", "amman"}


def test_names_listed_before_a_plural_feature_word_are_each_one(extractor: Extractor) -> None:
    plan = draft(extractor, "The jobless rate in Northeast Georgia, which includes Barrow and Jackson counties, rose in March.")
    for county in ("Barrow", "Jackson"):
        place = entry(plan, county)
        assert place.kind == "region" and f"{county} County".casefold() in {n.casefold() for n in place.aliases}
    state = draft(extractor, "Two Northeast Georgia counties remain among the fastest growing.")
    assert "georgia" in names(state) and "georgia county" not in names(state)


def test_places_joined_by_a_hyphen_are_each_found(extractor: Extractor) -> None:
    plan = draft(extractor, "She toured the Paris-Henry County Heritage Center in Tennessee on Friday.")
    assert {"paris", "henry county", "tennessee"} <= names(plan)


def test_the_place_of_an_office_and_a_persons_town_are_places(extractor: Extractor) -> None:
    plan = draft(extractor, "The Mayor of London, Sadiq Khan, met Tim Sherwood of Kent on Tuesday.")
    assert {"london", "kent"} <= names(plan)
    assert not names(plan) & {"sadiq", "khan", "tim", "sherwood"}


def test_a_title_ending_a_phrase_goes_with_the_name_after_it(extractor: Extractor) -> None:
    plan = draft(extractor, "Butler County Coroner Dr. Richard Burkhardt said the deaths were natural.")
    county = entry(plan, "Butler County")
    assert county.kind == "region"
    assert not names(plan) & {"richard", "burkhardt"}


def test_an_adjective_before_a_town_is_no_given_name(extractor: Extractor) -> None:
    plan = draft(extractor, "Visitors love Historic Dublin. The Distinctly Dublin calendar sold out.")
    assert "dublin" in names(plan)
