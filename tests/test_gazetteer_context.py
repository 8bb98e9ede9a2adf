"""Names of one text resolved together: the other names decide among homonyms."""

from __future__ import annotations

import textwrap

import pytest
from gazetteer_fixture import use_test_index

from geo.gazetteer import great_circle_km, resolve_together
from geo.gazetteer.index import IndexGazetteer
from geo.placelist import parse
from geo.resolve import resolve

PARIS_FRANCE, PARIS_TEXAS = "2988507", "4717560"


@pytest.fixture(scope="module")
def gazetteer() -> IndexGazetteer:
    return IndexGazetteer(use_test_index(), build_if_needed=False)


def best_with_peers(gazetteer: IndexGazetteer, names: list[str]) -> str:
    return resolve_together(gazetteer, names)[names[0]][0].id


def test_alone_paris_is_the_capital(gazetteer: IndexGazetteer) -> None:
    assert gazetteer.lookup("Paris")[0].id == PARIS_FRANCE


def test_east_texas_towns_make_paris_the_texan_one(gazetteer: IndexGazetteer) -> None:
    assert best_with_peers(gazetteer, ["Paris", "Tyler", "Longview", "Texarkana"]) == PARIS_TEXAS


def test_french_cities_keep_paris_in_france(gazetteer: IndexGazetteer) -> None:
    assert best_with_peers(gazetteer, ["Paris", "Lyon", "Marseille"]) == PARIS_FRANCE


def test_a_name_no_gazetteer_matches_has_no_place_and_pulls_nothing(gazetteer: IndexGazetteer) -> None:
    together = resolve_together(gazetteer, ["Tyler", "Qzxqzxq"])
    assert together["Qzxqzxq"] == []
    assert together["Tyler"][0].id == gazetteer.lookup("Tyler")[0].id


def test_one_name_written_twice_is_not_its_own_peer(gazetteer: IndexGazetteer) -> None:
    together = resolve_together(gazetteer, ["CAMBRIDGE", "England", "Newmarket", "Cambridge"])
    assert together["Cambridge"][0].country == together["CAMBRIDGE"][0].country == "GB"


def test_a_place_list_of_names_only_is_resolved_together(gazetteer: IndexGazetteer) -> None:
    places = parse(textwrap.dedent("""\
        title: Storms in East Texas
        places:
          - name: Paris
          - name: Tyler
          - name: Longview
        """))
    resolution = resolve(places, gazetteer)
    paris = resolution.by_name()["Paris"]
    assert paris.match is not None and paris.match.id == PARIS_TEXAS
    assert "4717560" in paris.origin


def test_a_county_named_without_county_among_its_neighbours_is_the_county(gazetteer: IndexGazetteer) -> None:
    """A Minnesota story's "Becker" beside Detroit Lakes and Moorhead is Becker County, not the town 200 km away."""
    becker = resolve_together(gazetteer, ["Becker", "Detroit Lakes", "Moorhead", "Fergus Falls"])["Becker"][0]
    assert (becker.kind, becker.id) == ("admin2", "US/Minnesota/Becker County")


def test_alone_a_bare_county_name_is_the_town(gazetteer: IndexGazetteer) -> None:
    assert gazetteer.lookup("Becker")[0].kind != "admin2"


def test_names_each_ambiguous_alone_find_the_one_corner_where_they_lie_together(gazetteer: IndexGazetteer) -> None:
    """Alone, each means another place (Douglas County, Colorado; Alexandria, Egypt; Evansville, Indiana);
    together they are the three of west-central Minnesota, a few km apart."""
    together = resolve_together(gazetteer, ["Douglas County", "Alexandria", "Evansville"])
    county, town, village = (together[name][0] for name in ("Douglas County", "Alexandria", "Evansville"))
    assert county.id == "US/Minnesota/Douglas County"
    assert great_circle_km(town.lat, town.lon, county.lat, county.lon) < 30
    assert great_circle_km(village.lat, village.lon, county.lat, county.lon) < 40


def test_far_places_the_story_also_names_do_not_dilute_its_neighbourhood(gazetteer: IndexGazetteer) -> None:
    """An Alabama story about soldiers home from the wars: Athens beside Decatur and Huntsville is the
    Alabama town, although half the names lie in Iraq and Afghanistan."""
    names = ["Athens", "Decatur", "Huntsville", "Washington", "Iraq", "Afghanistan", "Baghdad", "Kabul"]
    together = resolve_together(gazetteer, names)
    athens, decatur = together["Athens"][0], together["Decatur"][0]
    assert athens.country == "US" and great_circle_km(athens.lat, athens.lon, decatur.lat, decatur.lon) < 50


def test_co_after_a_name_is_the_county(gazetteer: IndexGazetteer) -> None:
    """News abbreviates County: "Platte Co." beside Columbus, Nebraska, is Platte County, Nebraska."""
    platte = resolve_together(gazetteer, ["Platte Co.", "Columbus", "Norfolk"])["Platte Co."][0]
    assert (platte.kind, platte.id) == ("admin2", "US/Nebraska/Platte County")
