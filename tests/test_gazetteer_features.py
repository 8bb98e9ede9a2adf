"""What news names beyond towns: seas, lakes, mountains, regions, counties, airports, circuits, and the villages
GeoNames' populated places lack; each found at the right place, as an area or a line, with its source."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from gazetteer_fixture import use_test_index
from shapely.geometry import Point

from geo.gazetteer import Match, data_rows, great_circle_km, resolve_together
from geo.gazetteer.airports import news_names
from geo.gazetteer.index import FEATURES_CSV, IndexGazetteer, _feature_shape
from geo.geometry import distance_to_area_km

WITHIN_KM = 25.0


@pytest.fixture(scope="module")
def gazetteer() -> IndexGazetteer:
    return IndexGazetteer(use_test_index(), build_if_needed=False)


def _gap_km(match: Match, lat: float, lon: float) -> float:
    """How far a reference point lies from the answer: 0 inside its area, else from its point or line."""
    if match.geometry is not None and match.geometry.geom_type in ("Polygon", "MultiPolygon"):
        return distance_to_area_km((lat, lon), match.geometry)
    return great_circle_km(lat, lon, match.lat, match.lon)


def _citation(gazetteer: IndexGazetteer, match: Match) -> str | None:
    row = gazetteer.db.execute("SELECT citation FROM places WHERE source = ? AND sid = ?", (match.source, match.id)).fetchone()
    return row[0] if row else None


# Reference points a reader can check: each place's coordinates in its Wikipedia article (or the town named).
ISSUE_NAMES = [
    ("Lake Chad", 13.0, 14.0, "lake"),
    ("the Persian Gulf", 26.0, 52.0, "sea"),
    ("Red Sea", 22.0, 38.0, "sea"),
    ("Mount Sinjar", 36.367, 41.7, "range"),
    ("Darfur", 12.0, 24.0, "region"),
    ("the Middle East", 33.31, 44.38, "region"),  # Baghdad lies in it
    ("Golan Heights", 33.0, 35.8, "region"),
    ("Yorkshire", 53.96, -1.08, "county"),  # York
    ("Cheshire", 53.19, -2.89, "county"),  # Chester
    ("Gatwick", 51.1481, -0.1903, "airport"),
    ("O'Hare", 41.9786, -87.9048, "airport"),
    ("Heathrow", 51.47, -0.4543, "airport"),
    ("Heathrow airport", 51.47, -0.4543, "airport"),
    ("JFK", 40.6413, -73.7781, "airport"),
    ("Brands Hatch", 51.3569, 0.2631, "site"),
    ("Foua", 35.9306, 36.6339, "village"),  # within 25 km of Idlib city (GeoNames 169389)
    ("Kefraya", 35.9306, 36.6339, "village"),
    ("Kfraya", 35.9306, 36.6339, "village"),
]


@pytest.mark.parametrize(("name", "lat", "lon", "kind"), ISSUE_NAMES)
def test_the_names_news_uses_are_found_at_the_right_place_with_their_source(
    gazetteer: IndexGazetteer, name: str, lat: float, lon: float, kind: str
) -> None:
    found = gazetteer.lookup(name.removeprefix("the "))
    assert found, f"{name} is not found"
    best = found[0]
    assert best.kind == kind, best
    assert best.confident, best
    assert _gap_km(best, lat, lon) <= WITHIN_KM, best
    assert best.source in ("curated", "airportsdata") and _citation(gazetteer, best), best


@pytest.mark.parametrize("name", ["Red Sea", "Persian Gulf", "Lake Chad", "Middle East", "Yorkshire", "Darfur"])
def test_water_and_regions_are_areas_with_their_point_inside(gazetteer: IndexGazetteer, name: str) -> None:
    best = gazetteer.lookup(name)[0]
    assert best.geometry is not None and best.geometry.geom_type == "Polygon"
    assert best.geometry.contains(Point(best.lon, best.lat))
    assert best.radius_km and best.radius_km > 20


def test_a_river_is_a_line_through_its_towns(gazetteer: IndexGazetteer) -> None:
    tigris = gazetteer.lookup("Tigris")[0]
    assert tigris.geometry is not None and tigris.geometry.geom_type == "LineString"
    baghdad = gazetteer.lookup("Baghdad")[0]
    assert tigris.geometry.distance(Point(baghdad.lon, baghdad.lat)) * 111 < 10


def test_the_middle_east_holds_its_capitals_and_not_europe(gazetteer: IndexGazetteer) -> None:
    area = gazetteer.lookup("Middle East")[0].geometry
    for capital in ("Cairo", "Riyadh", "Tehran", "Ankara", "Damascus"):
        town = gazetteer.lookup(capital)[0]
        assert area.contains(Point(town.lon, town.lat)), capital
    paris = gazetteer.lookup("Paris")[0]
    assert not area.contains(Point(paris.lon, paris.lat))


def test_a_namesake_town_still_wins_where_the_text_is_about_its_state(gazetteer: IndexGazetteer) -> None:
    """Importance by kind, not a rule per name: Cheshire among Connecticut towns is the Connecticut town."""
    result = resolve_together(gazetteer, ["Cheshire", "Waterbury", "Meriden", "New Haven", "Wallingford"])
    assert result["Cheshire"][0].country == "US"
    alone = resolve_together(gazetteer, ["Cheshire", "Chester", "Crewe", "Macclesfield"])
    assert alone["Cheshire"][0].kind == "county"


def test_airport_codes_match_only_as_written_in_capitals(gazetteer: IndexGazetteer) -> None:
    assert gazetteer.lookup("LHR")[0].name == "London Heathrow Airport"
    assert gazetteer.lookup("EGLL")[0].name == "London Heathrow Airport"
    assert gazetteer.lookup("JFK Airport")[0].id == "KJFK"
    ord_ = gazetteer.lookup("Ord")[0]
    assert ord_.kind != "airport" and ord_.country == "US"
    assert all(m.kind != "airport" for m in gazetteer.lookup("lhr", candidates=5))
    ely = gazetteer.lookup("Ely", candidates=5)
    assert ely and all(m.kind != "airport" for m in ely)


def test_an_airport_does_not_take_a_town_a_park_or_a_persons_name(gazetteer: IndexGazetteer) -> None:
    assert gazetteer.lookup("Luton")[0].kind != "airport"
    assert gazetteer.lookup("Yellowstone")[0].kind == "park"
    assert all(m.kind != "airport" for m in gazetteer.lookup("Boston", candidates=10))
    assert not [m for m in gazetteer.lookup("John Lennon", candidates=5) if m.kind == "airport"]
    assert gazetteer.lookup("John Lennon Airport")[0].kind == "airport"


def test_short_names_are_derived_by_general_rules() -> None:
    nothing_taken = lambda name: False
    assert "Heathrow" in news_names("London Heathrow Airport", "London", nothing_taken)
    assert {"O'Hare", "O'Hare Airport", "O'Hare International Airport"} <= set(
        news_names("Chicago O'Hare International Airport", "Chicago", nothing_taken))
    assert "City" not in news_names("London City Airport", "London", nothing_taken)
    assert "Boston" not in news_names("Manchester-Boston Regional Airport", "Manchester", lambda name: name == "Boston")
    lennon = news_names("Liverpool John Lennon Airport", "Liverpool", nothing_taken)
    assert "John Lennon Airport" in lennon and "John Lennon" not in lennon
    assert "Scranton" not in news_names("Wilkes-Barre/Scranton International Airport", "Wilkes-Barre", nothing_taken)
    assert "Clark" not in news_names("Stephenville Clark Regional Airport", "Stephenville", nothing_taken)
    assert "Schiphol" in news_names("Amsterdam Airport Schiphol", "Amsterdam", nothing_taken)


def test_a_city_with_a_hyphen_is_cut_off_whole_in_every_process() -> None:
    """The index is the same on every build: the city is taken off whole ("Les Sables-d'Olonne"), never
    the part before its hyphen first, whatever the process's string hashing (PYTHONHASHSEED)."""
    script = "from geo.gazetteer.airports import news_names; " \
             "print(news_names(\"Les Sables-d'Olonne Talmont Airport\", \"Les Sables-d'Olonne\", lambda name: False))"
    seen = {subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout for seed in range(4)}
    assert seen == {"[\"Les Sables-d'Olonne Talmont Airport\", 'Talmont Airport', 'Talmont']\n"}


def test_made_up_names_next_to_features_are_still_not_places(gazetteer: IndexGazetteer) -> None:
    for name in ("Lake Tamoriku", "Red Zarbo Sea", "Mount Kelumbo", "Yorkshirex"):
        assert gazetteer.lookup(name) == [], name


def test_every_feature_row_cites_its_source_and_has_a_sound_shape() -> None:
    rows = data_rows(FEATURES_CSV)
    assert len(rows) >= 150
    for row in rows:
        assert row["citation"].strip(), row["id"]
        shape = _feature_shape(row)
        if row["kind"] in ("sea", "lake", "region", "county", "desert", "range", "island", "archipelago"):
            assert shape is not None and shape.geom_type == "Polygon", row["id"]
            assert shape.contains(Point(float(row["lon"]), float(row["lat"]))), row["id"]
        if row["kind"] == "river":
            assert shape is not None and shape.geom_type == "LineString", row["id"]


def test_the_index_records_every_features_row(gazetteer: IndexGazetteer) -> None:
    ids = {row["id"] for row in data_rows(FEATURES_CSV)}
    db = sqlite3.connect(gazetteer.path.absolute().as_uri() + "?mode=ro", uri=True)
    try:
        stored = {sid for (sid,) in db.execute("SELECT sid FROM places WHERE source = 'curated'")}
    finally:
        db.close()
    assert ids <= stored


# A region's or a city's people, as news names them, with a point a reader can check: the city's or the region's
# capital (Wikipedia coordinates); a region counts as found when the point lies within 25 km of its extent.
REGION_AND_CITY_DEMONYMS = [
    ("Ontarians", "CA", 43.65, -79.38),  # Toronto
    ("Quebecers", "CA", 46.81, -71.21),  # Quebec City, in the province
    ("Albertan", "CA", 53.55, -113.49),  # Edmonton
    ("Queenslanders", "AU", -27.47, 153.03),  # Brisbane
    ("Scots", "GB", 55.95, -3.19),  # Edinburgh
    ("Welsh", "GB", 51.48, -3.18),  # Cardiff
    ("Bavarians", "DE", 48.14, 11.58),  # Munich
    ("Keralites", "IN", 8.52, 76.94),  # Thiruvananthapuram
    ("Chechen", "RU", 43.32, 45.69),  # Grozny
    ("Dagestani", "RU", 42.98, 47.5),  # Makhachkala
    ("Gazans", "PS", 31.5, 34.47),  # Gaza City
    ("Muscovites", "RU", 55.76, 37.62),
    ("Londoners", "GB", 51.51, -0.13),
    ("Parisians", "FR", 48.86, 2.35),
    ("Torontonians", "CA", 43.65, -79.38),
    ("Angelenos", "US", 34.05, -118.24),
    ("Sydneysiders", "AU", -33.87, 151.21),
    ("Cairenes", "EG", 30.04, 31.24),
]


@pytest.mark.parametrize(("demonym", "country", "lat", "lon"), REGION_AND_CITY_DEMONYMS)
def test_a_regions_or_a_citys_people_name_that_place(
    gazetteer: IndexGazetteer, demonym: str, country: str, lat: float, lon: float
) -> None:
    found = gazetteer.lookup(demonym)
    assert found, f"{demonym} is not found"
    assert found[0].country == country and _gap_km(found[0], lat, lon) <= WITHIN_KM, found[0]


def test_every_demonym_of_a_region_or_city_names_a_place_of_its_kind_in_its_country(gazetteer: IndexGazetteer) -> None:
    from geo.gazetteer import demonym_places

    kinds = {"region": {"admin1", "admin2", "region", "county"}, "city": {"capital", "city", "town"}}
    for demonym, (place, country, kind) in demonym_places().items():
        if country:
            best = gazetteer.lookup(demonym)[0]
            assert (best.country, best.kind in kinds[kind or ""]) == (country, True), (demonym, place, best)


def test_the_extractor_flags_a_citys_and_a_regions_people_as_demonyms_not_places() -> None:
    from geo.extract import Extractor

    extractor = Extractor(IndexGazetteer(use_test_index(), build_if_needed=False))
    result = extractor.extract("Muscovites and Quebecers watched. Gazans fled south as fighters reached Dagestan.", None)
    flagged = {m.text: p.name for m, p in result.mentions() if m.demonym}
    assert flagged == {"Muscovites": "Moscow", "Quebecers": "Quebec", "Gazans": "Gaza Strip"}
    assert [p.name for p in result.places if not p.demonym_only] == ["Dagestan"]


# US and Canadian water and parks, each with a point a reader can check on a map: a landmark on the water or
# in the park (Wikipedia coordinates), which must lie in the area drawn or within 25 km of the point.
NORTH_AMERICAN_NAMES = [
    ("Chesapeake Bay", 38.97, -76.49, "sea"),  # Annapolis, on its shore
    ("Tampa Bay", 27.77, -82.64, "sea"),  # St. Petersburg
    ("Galveston Bay", 29.54, -95.02, "sea"),  # Kemah
    ("San Francisco Bay", 37.81, -122.42, "sea"),  # Fisherman's Wharf
    ("Lake Mead", 36.016, -114.737, "lake"),  # Hoover Dam
    ("Lake Lanier", 34.16, -84.07, "lake"),  # Buford Dam
    ("Lake of the Ozarks", 38.2, -92.62, "lake"),  # Bagnell Dam
    ("Lake Pontchartrain", 30.06, -90.07, "lake"),  # the Causeway's south end
    ("Lake Winnipeg", 50.63, -96.99, "lake"),  # Gimli
    ("Yosemite National Park", 37.74, -119.59, "park"),  # Yosemite Valley
    ("Zion National Park", 37.2, -112.99, "park"),  # Springdale, at its gate
    ("Great Smoky Mountains National Park", 35.61, -83.49, "park"),  # Clingmans Dome area
    ("Acadia National Park", 44.35, -68.23, "park"),  # Cadillac Mountain
]


@pytest.mark.parametrize(("name", "lat", "lon", "kind"), NORTH_AMERICAN_NAMES)
def test_us_and_canadian_water_and_parks_are_found_at_the_right_place(
    gazetteer: IndexGazetteer, name: str, lat: float, lon: float, kind: str
) -> None:
    best = gazetteer.lookup(name)[0]
    assert best.kind == kind and best.source == "curated" and best.confident, best
    assert _gap_km(best, lat, lon) <= WITHIN_KM, best


@pytest.mark.parametrize(("river", "towns"), [
    ("Arkansas River", ["Tulsa", "Little Rock", "Wichita"]),
    ("Tennessee River", ["Chattanooga", "Knoxville"]),
    ("St. Lawrence River", ["Montreal", "Quebec City"]),
    ("Fraser River", ["Prince George"]),
    ("Red River of the North", ["Fargo", "Winnipeg"]),
])  # fmt: skip
def test_north_american_rivers_run_through_their_towns(gazetteer: IndexGazetteer, river: str, towns: list[str]) -> None:
    line = gazetteer.lookup(river)[0].geometry
    assert line is not None and line.geom_type == "LineString"
    for name in towns:
        town = gazetteer.lookup(name)[0]
        assert line.distance(Point(town.lon, town.lat)) * 111 < 10, name


def test_every_us_national_park_is_in_the_gazetteer() -> None:
    parks = [row for row in data_rows(FEATURES_CSV) if row["kind"] == "park" and "National Park" in row["names"]]
    assert len(parks) == 63
    assert all(row["country"] in ("US", "AS", "VI") for row in parks)
